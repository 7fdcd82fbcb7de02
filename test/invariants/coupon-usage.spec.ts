import { eventually } from '../../src/testing/eventually';
import { forcedRace } from '../support/forced-race';
import { quiescent } from '../support/quiescence';
import { stack } from '../support/invariant-stack';

describe('coupon-usage invariant, end to end', () => {
  it(
    '40 racing applies of a coupon with maxUses 10 and ' +
      'allowedOverbooking 2 end at 12 uses, the newest revoked, one alert',
    async () => {
      const s = await stack();
      try {
        await s.http.post('/customers', { id: 'big', name: 'Big', email: 'big@example.com', creditLimit: 1_000_000 });
        await s.http.post('/coupons', {
          id: 'spring',
          code: 'SPRING',
          maxUses: 10,
          discount: 50,
          allowedOverbooking: 2,
        });
        for (let i = 0; i < 40; i++) await s.http.post('/orders', { id: `o-${i}`, customerId: 'big', total: 500 });
        const answers = await forcedRace(
          s.sql,
          () => Array.from({ length: 40 }, (_, i) => s.http.post(`/orders/o-${i}/coupon`, { couponId: 'spring' })),
          13,
        );
        const applied = answers.filter((a) => a.status === 200).length;
        expect(applied).toBeGreaterThan(12);
        await quiescent(s.sql);

        expect((await s.http.get('/coupons/spring')).body.uses).toBe(12);
        const appliedInLogOrder = (
          await s.sql.query(
            `SELECT payload->>'orderId' AS id FROM event_log WHERE event_type = 'CouponApplied'
            ORDER BY transaction_id, position`,
          )
        ).map((r: { id: string }) => r.id);
        const revoked = (
          await s.sql.query(`SELECT payload->>'orderId' AS id FROM event_log WHERE event_type = 'CouponRevoked'`)
        ).map((r: { id: string }) => r.id);
        expect(revoked.sort()).toEqual(appliedInLogOrder.slice(12).sort());

        const [violation] = (await s.http.get('/violations?invariant=coupon-usage')).body;
        expect(violation).toMatchObject({
          key: 'spring',
          status: 'resolved',
          details: { maxUses: 10, allowedOverbooking: 2 },
        });
        await eventually(() => expect(s.smtp.byAlert('opened')).toHaveLength(1));
        expect(s.smtp.byAlert('opened')[0].subject).toBe(
          '[Backstop] Violation opened: coupon-usage for coupon SPRING (spring)',
        );
        await eventually(() => expect(s.smtp.byAlert('resolved')).toHaveLength(1));
      } finally {
        await s.close();
      }
    },
    60_000,
  );

  it('a revocation that pushes a customer over the limit is settled by the credit-limit saga in turn', async () => {
    const s = await stack();
    try {
      await s.http.post('/customers', { id: 'ann', name: 'Ann', email: 'ann@example.com', creditLimit: 1000 });
      await s.http.post('/coupons', { id: 'duo', code: 'DUO', maxUses: 2, discount: 100 });
      await s.http.post('/orders', { id: 'a', customerId: 'ann', total: 600 });
      await s.http.post('/orders', { id: 'b', customerId: 'ann', total: 400 });
      await s.http.post('/orders/a/coupon', { couponId: 'duo' });
      await s.http.post('/orders/b/coupon', { couponId: 'duo' });
      // 500 + 300 + 200 = 1000
      expect((await s.http.post('/orders', { id: 'c', customerId: 'ann', total: 200 })).status).toBe(201);

      // One use too many now: the coupon comes off b (+100), which breaks Ann's limit, so c is held.
      await s.http.put('/coupons/duo/max-uses', { maxUses: 1 });
      await quiescent(s.sql);

      expect((await s.http.get('/orders/b')).body).toMatchObject({ couponId: null, discount: 0, status: 'open' });
      expect((await s.http.get('/orders/c')).body.status).toBe('on_hold');
      expect((await s.http.get('/customers/ann')).body.exposure).toBe(900);
      expect((await s.http.get('/coupons/duo')).body.uses).toBe(1);
      const violations = (await s.http.get('/violations')).body;
      expect(violations.map((v: { invariant: string; status: string }) => [v.invariant, v.status]).sort()).toEqual([
        ['coupon-usage', 'resolved'],
        ['credit-limit', 'resolved'],
      ]);
      expect((await s.http.get('/violations?status=open')).body).toEqual([]);
    } finally {
      await s.close();
    }
  }, 60_000);
});
