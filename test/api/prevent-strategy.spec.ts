import { ApiFixture, startApi } from '../support/api-fixture';
import { forcedRace } from '../support/forced-race';

describe('the prevent strategy on the command path', () => {
  let api: ApiFixture;
  beforeAll(
    async () =>
      (api = await startApi({
        invariants: { 'credit-limit': { strategy: 'prevent' }, 'coupon-usage': { strategy: 'prevent' } },
      })),
  );
  afterAll(() => api.close());

  it('serializes CreateOrder on the customer: 30 racing orders of 100 against 1000 accept exactly 10', async () => {
    await api.http.post('/customers', { id: 'p', name: 'P', email: 'p@example.com', creditLimit: 1000 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api.http.post('/orders', { id: `p-${i}`, customerId: 'p', total: 100 })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 422).every((a) => a.body.code === 'CREDIT_LIMIT_EXCEEDED')).toBe(true);
    expect((await api.http.get('/customers/p')).body.exposure).toBe(1000);
  });

  it('serializes ApplyCoupon on the coupon: 20 racing applies of a 5-use coupon accept exactly 5', async () => {
    await api.http.post('/customers', { id: 'q', name: 'Q', email: 'q@example.com', creditLimit: 1_000_000 });
    await api.http.post('/coupons', { id: 'five', code: 'FIVE', maxUses: 5, discount: 10 });
    for (let i = 0; i < 20; i++) await api.http.post('/orders', { id: `q-${i}`, customerId: 'q', total: 100 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.http.post(`/orders/q-${i}/coupon`, { couponId: 'five' })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 422).every((a) => a.body.code === 'COUPON_EXHAUSTED')).toBe(true);
    expect((await api.http.get('/coupons/five')).body.uses).toBe(5);
  });

  it("serializes ChangeOrderTotal on the order's customer: 12 raises of 100 held at the write accept 8", async () => {
    await api.http.post('/customers', { id: 'r', name: 'R', email: 'r@example.com', creditLimit: 1000 });
    for (let i = 0; i < 12; i++) await api.http.post('/orders', { id: `r-${i}`, customerId: 'r', total: 10 });
    // Every raise reads its figures and waits at the write; under `prevent` all but one wait for the lock instead.
    const answers = await forcedRace(
      api.sql,
      () => Array.from({ length: 12 }, (_, i) => api.http.put(`/orders/r-${i}/total`, { total: 110 })),
      12,
      '%',
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(8);
    expect(answers.filter((a) => a.status === 422).every((a) => a.body.code === 'CREDIT_LIMIT_EXCEEDED')).toBe(true);
    expect((await api.http.get('/customers/r')).body.exposure).toBe(8 * 110 + 4 * 10);
  });
});
