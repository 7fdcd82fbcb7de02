import { CommandOutput, SagaOutput } from '../../saga-api/saga.types';
import { givenSaga, sagaEvent } from '../../testing/saga-spec';
import { invariantSaga } from '../invariant-saga';
import { InvariantSettings } from '../invariant-settings';
import { couponUsage } from './coupon-usage.invariant';

const settings = new InvariantSettings();
const saga = invariantSaga(couponUsage, () => settings.of(couponUsage.name));
const created = sagaEvent('CouponCreated', {
  couponId: 'k',
  code: 'SPRING',
  maxUses: 2,
  discount: 100,
  allowedOverbooking: 1,
});
const applied = (orderId: string) =>
  sagaEvent('CouponApplied', { orderId, customerId: 'c', couponId: 'k', discount: 100 });
const kinds = (outputs: SagaOutput[]) =>
  outputs.map((o) =>
    o.kind === 'violation'
      ? `${o.kind}:${o.action}`
      : o.kind === 'command'
        ? `${o.type}:${o.payload.orderId}`
        : `mail:${o.alert}`,
  );

describe('CouponUsageSaga', () => {
  it('accepts overbooking within allowedOverbooking silently', () => {
    givenSaga(saga, 'k', created, applied('o1'), applied('o2')).when(applied('o3')).then([]);
  });

  it('beyond the tolerance opens an episode, revokes from the newest orders and alerts', () => {
    const result = givenSaga(saga, 'k', created, applied('o1'), applied('o2'), applied('o3')).when(applied('o4'));
    expect(kinds(result.outputs)).toEqual(['violation:open', 'mail:opened', 'RevokeCoupon:o4']);
    expect((result.outputs[2] as CommandOutput).payload).toMatchObject({
      orderId: 'o4',
      violationId: expect.any(String),
    });
    const lowered = givenSaga(saga, 'k', created, applied('o1'), applied('o2'), applied('o3')).when(
      sagaEvent('CouponLimitChanged', { couponId: 'k', previousMaxUses: 2, maxUses: 0 }),
    );
    expect(kinds(lowered.outputs)).toEqual(['violation:open', 'mail:opened', 'RevokeCoupon:o3', 'RevokeCoupon:o2']);
  });

  it('resolves when the revocations land, and counts a cancelled order as no longer holding the coupon', () => {
    const given = givenSaga(saga, 'k', created, applied('o1'), applied('o2'), applied('o3'), applied('o4'));
    expect(
      kinds(given.when(sagaEvent('OrderCancelled', { orderId: 'o1', customerId: 'c', couponId: 'k' })).outputs),
    ).toEqual(['violation:resolve', 'mail:resolved']);
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
    const history = [created, applied('o1'), applied('o2'), applied('o3'), applied('o4')]; // 4 uses, 3 allowed: revoke o4

    it('is no longer waited for: the coupon is revoked from the next newest order, and the episode resolves when that lands', () => {
      const given = givenSaga(saga, 'k', ...history);
      expect(given.state.pendingRevokes).toEqual(['o4']);
      const next = given.when(refused('o4'));
      expect(kinds(next.outputs)).toEqual(['violation:update', 'RevokeCoupon:o3']);
      expect(next.state.pendingRevokes).toEqual(['o3']);
      expect(next.state.episode).toMatchObject({ revoked: ['o3'], refused: ['o4'] });

      const revoked = sagaEvent('CouponRevoked', { orderId: 'o3', customerId: 'c', couponId: 'k', discount: 100 });
      expect(kinds(givenSaga(saga, 'k', ...history, refused('o4')).when(revoked).outputs)).toEqual([
        'violation:resolve',
        'mail:resolved',
      ]);
    });

    it('changes nothing more when the order was cancelled before the revocation ran', () => {
      const cancelled = sagaEvent('OrderCancelled', { orderId: 'o4', customerId: 'c', couponId: 'k' });
      const given = givenSaga(saga, 'k', ...history, cancelled);
      expect(given.state.episode).toBeNull();
      const after = given.when(refused('o4'));
      expect(after.outputs).toEqual([]);
      expect(after.state.pendingRevokes).toEqual([]);
      expect(after.state.uses).toBe(3);
    });

    it("ignores another saga's refused command", () => {
      const given = givenSaga(saga, 'k', ...history);
      const after = given.when(refused('o4', 'credit-limit'));
      expect(after.outputs).toEqual([]);
      expect(after.state).toEqual(given.state);
    });
  });
});
