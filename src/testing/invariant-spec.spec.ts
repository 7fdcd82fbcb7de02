import { couponUsage } from '../invariants/coupon-usage/coupon-usage.invariant';
import { givenInvariant } from './invariant-spec';
import { sagaEvent } from './saga-spec';

const created = sagaEvent('CouponCreated', {
  couponId: 'k',
  code: 'K',
  maxUses: 1,
  discount: 1,
  allowedOverbooking: 0,
});
const applied = (orderId: string) =>
  sagaEvent('CouponApplied', { orderId, customerId: 'c', couponId: 'k', discount: 1 });
const breach = () => givenInvariant(couponUsage, 'k', created, applied('o1')).when(applied('o2'));

describe('givenInvariant', () => {
  it('passes on the outcome the declaration decides, and hands back the episode, commands and mail', () => {
    const result = breach().then({
      violation: 'open',
      details: { uses: 2 },
      compensations: [{ type: 'RevokeCoupon', ref: 'o2' }],
      alert: 'opened',
    });
    expect(result.violationId).toEqual(expect.any(String));
    expect(result.commands[0].payload).toMatchObject({ orderId: 'o2', violationId: result.violationId });
    expect(result.mail?.violationId).toBe(result.violationId);
    expect(result.state.pendingRevokes).toEqual(['o2']);
  });

  it.each([
    [
      'another violation change',
      { violation: 'update' as const, compensations: [{ type: 'RevokeCoupon' }], alert: 'opened' as const },
    ],
    [
      'other details',
      {
        violation: 'open' as const,
        details: { uses: 3 },
        compensations: [{ type: 'RevokeCoupon' }],
        alert: 'opened' as const,
      },
    ],
    ['no compensation', { violation: 'open' as const, alert: 'opened' as const }],
    [
      'another order',
      { violation: 'open' as const, compensations: [{ type: 'RevokeCoupon', ref: 'o1' }], alert: 'opened' as const },
    ],
    [
      'another payload',
      {
        violation: 'open' as const,
        compensations: [{ type: 'RevokeCoupon', payload: { orderId: 'o2' } }],
        alert: 'opened' as const,
      },
    ],
    ['no alert', { violation: 'open' as const, compensations: [{ type: 'RevokeCoupon' }] }],
  ])('fails when the outcome differs: %s', (_, outcome) => {
    expect(() => breach().then(outcome)).toThrow();
  });

  it('fails thenNothingHappened on a breach, and reads the settings given', () => {
    expect(() => breach().thenNothingHappened()).toThrow();
    givenInvariant(couponUsage, { key: 'k', settings: { reactions: [] } }, created, applied('o1'))
      .when(applied('o2'))
      .then({ violation: 'open' });
  });
});
