import { ApiFixture, startApi } from '../support/api-fixture';

describe('customers API', () => {
  let api: ApiFixture;
  beforeAll(async () => (api = await startApi()));
  afterAll(() => api.close());

  it('POST /customers creates a customer (201) and GET returns its shape', async () => {
    const created = await api.http.post('/customers', {
      id: 'ada',
      name: 'Ada',
      email: 'ada@example.com',
      creditLimit: 1000,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'ada',
      name: 'Ada',
      email: 'ada@example.com',
      creditLimit: 1000,
      exposure: 0,
      version: 1,
    });

    const read = await api.http.get('/customers/ada');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('generates a UUID when no id is given', async () => {
    const created = await api.http.post('/customers', { name: 'Bob', email: 'bob@example.com', creditLimit: 0 });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a repeated create as the first time, and one with a different body 409 ID_CONFLICT', async () => {
    const body = { id: 'cy', name: 'Cy', email: 'cy@example.com', creditLimit: 50 };
    const first = await api.http.post('/customers', body);
    const before = await api.eventCount();
    const again = await api.http.post('/customers', body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);

    const other = await api.http.post('/customers', { ...body, creditLimit: 51 });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ statusCode: 409, code: 'ID_CONFLICT' });
    expect(await api.eventCount()).toBe(before);
  });

  it('PUT /customers/:id/credit-limit changes the limit and records CustomerCreditLimitChanged', async () => {
    await api.http.post('/customers', { id: 'dee', name: 'Dee', email: 'dee@example.com', creditLimit: 100 });
    const changed = await api.http.put('/customers/dee/credit-limit', { creditLimit: 250 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: 'dee', creditLimit: 250, version: 2 });
    const [event] = await api.sql.query(
      `SELECT event_type, payload, tags FROM event_log WHERE stream_id = 'customer-dee' AND stream_version = 2`,
    );
    expect(event).toEqual({
      event_type: 'CustomerCreditLimitChanged',
      payload: { customerId: 'dee', previousLimit: 100, newLimit: 250 },
      tags: ['customer:dee'],
    });
  });

  it('answers 404 NOT_FOUND for an unknown customer', async () => {
    for (const answer of [
      await api.http.get('/customers/nobody'),
      await api.http.put('/customers/nobody/credit-limit', { creditLimit: 1 }),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    }
  });

  it('answers 400 VALIDATION_FAILED for bad bodies and writes nothing', async () => {
    const before = await api.eventCount();
    const bad = [
      { name: 'X', email: 'not-an-email', creditLimit: 1 },
      { name: '', email: 'x@example.com', creditLimit: 1 },
      { name: 'X', email: 'x@example.com', creditLimit: -1 },
      { name: 'X', email: 'x@example.com', creditLimit: 1e13 },
      { name: 'X', email: 'x@example.com', creditLimit: 1, extra: true },
      { id: 'bad id!', name: 'X', email: 'x@example.com', creditLimit: 1 },
    ];
    for (const body of bad) {
      const answer = await api.http.post('/customers', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: expect.any(String) });
    }
    expect((await api.http.put('/customers/ada/credit-limit', { creditLimit: 'lots' })).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await api.eventCount()).toBe(before);
  });

  it('shows the exposure of open orders only', async () => {
    await api.http.post('/customers', { id: 'eve', name: 'Eve', email: 'eve@example.com', creditLimit: 1000 });
    await api.http.post('/orders', { id: 'eve-1', customerId: 'eve', total: 300 });
    await api.http.post('/orders', { id: 'eve-2', customerId: 'eve', total: 200 });
    await api.http.post('/orders', { id: 'eve-3', customerId: 'eve', total: 100 });
    await api.http.post('/orders/eve-2/complete');
    await api.http.post('/orders/eve-3/cancel');
    expect((await api.http.get('/customers/eve')).body.exposure).toBe(300);
  });
});
