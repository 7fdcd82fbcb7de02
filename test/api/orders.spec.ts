import { CommandBus } from '@nestjs/cqrs';
import { HoldOrderCommand } from '../../src/orders/hold-order';
import { ApiFixture, startApi } from '../support/api-fixture';

describe('orders API', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await startApi();
    await api.http.post('/customers', { id: 'ada', name: 'Ada', email: 'ada@example.com', creditLimit: 1000 });
    await api.http.post('/coupons', { id: 'k', code: 'K', maxUses: 1, discount: 100 });
  });
  afterAll(() => api.close());

  const order = (id: string, total: number, customerId = 'ada') => api.http.post('/orders', { id, customerId, total });

  it('POST /orders creates an open order (201) and GET returns its shape', async () => {
    const created = await order('o1', 400);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'o1',
      customerId: 'ada',
      total: 400,
      discount: 0,
      couponId: null,
      status: 'open',
      version: 1,
    });
    expect((await api.http.get('/orders/o1')).body).toEqual(created.body);
    const [event] = await api.sql.query(
      `SELECT event_type, payload, tags, metadata FROM event_log WHERE stream_id = 'order-o1'`,
    );
    expect(event).toMatchObject({
      event_type: 'OrderCreated',
      payload: { orderId: 'o1', customerId: 'ada', total: 400 },
      tags: ['customer:ada', 'order:o1'],
      metadata: { eventId: expect.any(String), correlationId: expect.any(String) },
    });
  });

  it('refuses an order over the credit limit with 422 CREDIT_LIMIT_EXCEEDED and writes nothing', async () => {
    const before = await api.eventCount();
    const refused = await order('too-big', 601);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ statusCode: 422, code: 'CREDIT_LIMIT_EXCEEDED' });
    expect(await api.eventCount()).toBe(before);
    expect((await api.http.get('/orders/too-big')).status).toBe(404);
  });

  it('answers 404 for an unknown customerId and a repeated create as a safe retry', async () => {
    expect((await order('orphan', 1, 'nobody')).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect((await order('o1', 400)).status).toBe(201);
    expect((await order('o1', 401)).body).toMatchObject({ statusCode: 409, code: 'ID_CONFLICT' });
  });

  it('PUT /orders/:id/total changes the total within the limit, refuses beyond it', async () => {
    const changed = await api.http.put('/orders/o1/total', { total: 900 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ total: 900, version: 2 });
    expect((await api.http.put('/orders/o1/total', { total: 1001 })).body.code).toBe('CREDIT_LIMIT_EXCEEDED');
    expect((await api.http.put('/orders/o1/total', { total: 400 })).body).toMatchObject({ total: 400, version: 3 });
  });

  it('POST /orders/:id/coupon applies a coupon once; a second one and an exhausted one are refused', async () => {
    const applied = await api.http.post('/orders/o1/coupon', { couponId: 'k' });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ couponId: 'k', discount: 100, total: 400 });
    expect((await api.http.get('/customers/ada')).body.exposure).toBe(300);

    expect((await api.http.post('/orders/o1/coupon', { couponId: 'k' })).body).toMatchObject({
      statusCode: 422,
      code: 'INVALID_STATE',
    });
    await order('o2', 100);
    expect((await api.http.post('/orders/o2/coupon', { couponId: 'k' })).body).toMatchObject({
      statusCode: 422,
      code: 'COUPON_EXHAUSTED',
    });
    expect((await api.http.post('/orders/o2/coupon', { couponId: 'nope' })).body).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
    });
  });

  it('POST /orders/:id/complete and /cancel move the status; wrong status is 422 INVALID_STATE', async () => {
    expect((await api.http.post('/orders/o2/complete')).body).toMatchObject({ status: 'completed' });
    expect((await api.http.post('/orders/o2/cancel')).body).toMatchObject({ statusCode: 422, code: 'INVALID_STATE' });
    expect((await api.http.post('/orders/o2/complete')).body.code).toBe('INVALID_STATE');
    expect((await api.http.put('/orders/o2/total', { total: 5 })).body.code).toBe('INVALID_STATE');
    await order('o3', 50);
    expect((await api.http.post('/orders/o3/cancel', {})).body).toMatchObject({ status: 'cancelled', version: 2 });
  });

  it('POST /orders/:id/release releases a held order only while it fits the limit', async () => {
    await order('h1', 200);
    // Hold it the way a compensation would, through the command bus.
    await api.app.app.get(CommandBus).execute(new HoldOrderCommand('h1', 'test hold', 'v-1'));
    expect((await api.http.get('/orders/h1')).body.status).toBe('on_hold');
    expect((await api.http.post('/orders/o1/release')).body.code).toBe('INVALID_STATE');

    await order('fill', 500); // exposure 300 + 500 = 800; h1's 200 would make 1000: still fits
    await order('fill2', 1); // now 801 + 200 > 1000
    expect((await api.http.post('/orders/h1/release')).body).toMatchObject({
      statusCode: 422,
      code: 'CREDIT_LIMIT_EXCEEDED',
    });
    await api.http.post('/orders/fill2/cancel');
    expect((await api.http.post('/orders/h1/release')).body).toMatchObject({ status: 'open', version: 3 });
  });

  it('answers 404 for unknown or impossible order ids and 400 for bad bodies', async () => {
    for (const path of ['/orders/none', '/orders/' + 'x'.repeat(65), '/orders/bad%20id']) {
      expect((await api.http.get(path)).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }
    expect((await api.http.post('/orders/none/cancel')).status).toBe(404);
    expect((await api.http.post('/orders/o1/cancel', { reason: 'x' })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.http.post('/orders', { customerId: 'ada', total: 0 })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.http.post('/orders', '{"customerId": "ada",')).body.code).toBe('VALIDATION_FAILED');
    expect((await api.http.post('/orders/o1/coupon', {})).body.code).toBe('VALIDATION_FAILED');
  });

  it('carries the caller correlation id into the events and echoes it', async () => {
    await api.http.post('/customers', { id: 'bo', name: 'Bo', email: 'bo@example.com', creditLimit: 10 });
    const answer = await api.http.post(
      '/orders',
      { id: 'corr', customerId: 'bo', total: 1 },
      { 'x-correlation-id': 'trace-42' },
    );
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-correlation-id')).toBe('trace-42');
    const [event] = await api.sql.query(`SELECT metadata FROM event_log WHERE stream_id = 'order-corr'`);
    expect(event.metadata.correlationId).toBe('trace-42');
  });
});
