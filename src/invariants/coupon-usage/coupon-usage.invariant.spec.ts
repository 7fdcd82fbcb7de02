import { sagaEvent } from '../../testing/saga-spec';
import { givenInvariant } from '../../testing/invariant-spec';
import { couponUsage } from './coupon-usage.invariant';

const created = sagaEvent('CouponCreated', {
  couponId: 'k',
  code: 'SPRING',
  maxUses: 2,
  discount: 100,
  allowedOverbooking: 1,
});
const applied = (orderId: string) =>
  sagaEvent('CouponApplied', { orderId, customerId: 'c', couponId: 'k', discount: 100 });
const revoke = (orderId: string) => ({
  type: 'RevokeCoupon',
  ref: orderId,
  payload: { orderId, reason: 'coupon SPRING overbooked beyond its tolerance' },
});

describe('the coupon-usage invariant', () => {
  it('accepts overbooking within allowedOverbooking silently', () => {
    givenInvariant(couponUsage, 'k', created, applied('o1'), applied('o2')).when(applied('o3')).thenNothingHappened();
  });

  it('beyond the tolerance opens an episode, revokes from the newest orders and alerts', () => {
    const three = [created, applied('o1'), applied('o2'), applied('o3')];
    const { mail } = givenInvariant(couponUsage, 'k', ...three)
      .when(applied('o4'))
      .then({
        violation: 'open',
        details: { couponId: 'k', code: 'SPRING', maxUses: 2, allowedOverbooking: 1, uses: 4, revoking: ['o4'] },
        compensations: [revoke('o4')],
        alert: 'opened',
      });
    expect(mail?.subject).toBe('[Backstop] Violation opened: coupon-usage for coupon SPRING (k)');
    givenInvariant(couponUsage, 'k', ...three)
      .when(sagaEvent('CouponLimitChanged', { couponId: 'k', previousMaxUses: 2, maxUses: 0 }))
      .then({ violation: 'open', compensations: [revoke('o3'), revoke('o2')], alert: 'opened' });
  });

  it('only alerts when compensation is not configured', () => {
    const { mail } = givenInvariant(
      couponUsage,
      { key: 'k', settings: { reactions: ['alert'] } },
      ...[created, applied('o1'), applied('o2'), applied('o3')],
    )
      .when(applied('o4'))
      .then({ violation: 'open', alert: 'opened' });
    expect(mail?.text).toContain('No compensation is configured');
  });

  it('resolves when the revocations land, and counts a cancelled order as no longer holding the coupon', () => {
    givenInvariant(couponUsage, 'k', created, applied('o1'), applied('o2'), applied('o3'), applied('o4'))
      .when(sagaEvent('OrderCancelled', { orderId: 'o1', customerId: 'c', couponId: 'k' }))
      .then({ violation: 'resolve', alert: 'resolved' });
  });

  describe('a refused revocation (CompensationRejected)', () => {
    const refused = (orderId: string, saga = 'coupon-usage') =>
      sagaEvent('CompensationRejected', {
        saga,
        key: 'k',
        couponId: 'k',
        commandId: `revoke-${orderId}`,
        commandType: 'RevokeCoupon',
        orderId,
        code: 'INVALID_STATE',
        reason: 'refused',
      });
    // 4 uses, 3 allowed: revoke o4
    const history = [created, applied('o1'), applied('o2'), applied('o3'), applied('o4')];

    it(
      'is no longer waited for: the coupon is revoked from the ' +
        'next newest order, and the episode resolves when that lands',
      () => {
        const given = givenInvariant(couponUsage, 'k', ...history);
        expect(given.state.pendingRevokes).toEqual(['o4']);
        const { state } = given.when(refused('o4')).then({ violation: 'update', compensations: [revoke('o3')] });
        expect(state.pendingRevokes).toEqual(['o3']);
        expect(state.episode).toMatchObject({ revoked: ['o3'], refused: ['o4'] });

        const revoked = sagaEvent('CouponRevoked', { orderId: 'o3', customerId: 'c', couponId: 'k', discount: 100 });
        givenInvariant(couponUsage, 'k', ...history, refused('o4'))
          .when(revoked)
          .then({ violation: 'resolve', alert: 'resolved' });
      },
    );

    it('changes nothing more when the order was cancelled before the revocation ran', () => {
      const cancelled = sagaEvent('OrderCancelled', { orderId: 'o4', customerId: 'c', couponId: 'k' });
      const given = givenInvariant(couponUsage, 'k', ...history, cancelled);
      expect(given.state.episode).toBeNull();
      const state = given.when(refused('o4')).thenNothingHappened();
      expect(state.pendingRevokes).toEqual([]);
      expect(state.uses).toBe(3);
    });

    it("ignores another saga's refused command", () => {
      const given = givenInvariant(couponUsage, 'k', ...history);
      expect(given.when(refused('o4', 'credit-limit')).thenNothingHappened()).toEqual(given.state);
    });
  });
});
