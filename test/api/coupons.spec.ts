import { ApiFixture, startApi } from '../support/api-fixture';

describe('coupons API', () => {
  let api: ApiFixture;
  beforeAll(async () => (api = await startApi()));
  afterAll(() => api.close());

  it('POST /coupons creates a coupon (201) and GET returns its shape with uses', async () => {
    const created = await api.http.post('/coupons', {
      id: 'spring',
      code: 'SPRING-10',
      maxUses: 2,
      discount: 150,
      allowedOverbooking: 1,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'spring',
      code: 'SPRING-10',
      maxUses: 2,
      allowedOverbooking: 1,
      discount: 150,
      uses: 0,
      version: 1,
    });

    await api.http.post('/customers', { id: 'c', name: 'C', email: 'c@example.com', creditLimit: 10_000 });
    await api.http.post('/orders', { id: 'o1', customerId: 'c', total: 500 });
    await api.http.post('/orders', { id: 'o2', customerId: 'c', total: 500 });
    await api.http.post('/orders/o1/coupon', { couponId: 'spring' });
    await api.http.post('/orders/o2/coupon', { couponId: 'spring' });
    await api.http.post('/orders/o2/cancel');
    expect((await api.http.get('/coupons/spring')).body).toMatchObject({ uses: 1, version: 1 });
  });

  it('defaults allowedOverbooking to 0 and treats a repeated create as a safe retry', async () => {
    const body = { id: 'fall', code: 'FALL', maxUses: 5, discount: 10 };
    const first = await api.http.post('/coupons', body);
    expect(first.body.allowedOverbooking).toBe(0);
    expect((await api.http.post('/coupons', body)).body).toEqual(first.body);
    const conflict = await api.http.post('/coupons', { ...body, discount: 11 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('ID_CONFLICT');
  });

  it('PUT /coupons/:id/max-uses changes the maximum, zero included', async () => {
    await api.http.post('/coupons', { id: 'winter', code: 'WINTER', maxUses: 5, discount: 10 });
    const changed = await api.http.put('/coupons/winter/max-uses', { maxUses: 0 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: 'winter', maxUses: 0, version: 2 });
    const [event] = await api.sql.query(
      `SELECT event_type, payload FROM event_log WHERE stream_id = 'coupon-winter' AND stream_version = 2`,
    );
    expect(event).toEqual({
      event_type: 'CouponLimitChanged',
      payload: { couponId: 'winter', previousMaxUses: 5, maxUses: 0 },
    });
  });

  it('answers 404 for an unknown coupon and 400 for bad input', async () => {
    expect((await api.http.get('/coupons/none')).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await api.http.put('/coupons/none/max-uses', { maxUses: 1 })).status).toBe(404);
    for (const body of [
      { code: 'X', maxUses: 0, discount: 1 },
      { code: 'X', maxUses: 1, discount: 0 },
      { code: 'X', maxUses: 1, discount: 1, allowedOverbooking: -1 },
      { code: 'X\u0000', maxUses: 1, discount: 1 },
      { code: 'X', maxUses: 1.5, discount: 1 },
    ]) {
      const answer = await api.http.post('/coupons', body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await api.http.put('/coupons/fall/max-uses', { maxUses: -1 })).status).toBe(400);
  });
});
