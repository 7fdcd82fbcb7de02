import { ApiFixture, startApi } from '../support/api-fixture';

describe('a customer with a long order history', () => {
  let api: ApiFixture;
  beforeAll(async () => (api = await startApi()));
  afterAll(() => api.close());

  it('checks CreateOrder right with 10,000 closed orders, reading only the open ones through an index', async () => {
    await api.http.post('/customers', { id: 'old', name: 'Old', email: 'old@example.com', creditLimit: 1000 });
    // History is seeded as rows directly: the read path under test only looks at rows.
    await api.sql.query(`
      INSERT INTO orders (id, customer_id, total, discount, status, version)
      SELECT 'hist-' || n, 'old', 100 + n, 0, CASE WHEN n % 2 = 0 THEN 'completed' ELSE 'cancelled' END, 2
        FROM generate_series(1, 10000) AS n`);
    await api.sql.query(`ANALYZE orders`);
    await api.http.post('/orders', { id: 'open-1', customerId: 'old', total: 700 });

    expect((await api.http.post('/orders', { id: 'too-much', customerId: 'old', total: 301 })).body.code).toBe(
      'CREDIT_LIMIT_EXCEEDED',
    );
    const fits = await api.http.post('/orders', { id: 'fits', customerId: 'old', total: 300 });
    expect(fits.status).toBe(201);
    expect((await api.http.get('/customers/old')).body.exposure).toBe(1000);

    const [{ 'QUERY PLAN': plan }] = await api.sql.query(
      `EXPLAIN (FORMAT JSON) SELECT coalesce(sum(total - discount), 0) FROM orders WHERE customer_id = 'old'
        AND status = 'open'`,
    );
    expect(JSON.stringify(plan)).toContain('orders_open_by_customer');
  });
});
