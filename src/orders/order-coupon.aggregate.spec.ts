import { given } from '../testing/aggregate-spec';
import {
  couponApplied as couponAppliedEvent,
  couponRevoked,
  orderCancelled,
  orderCompleted,
  orderCreated,
  orderPutOnHold,
} from './order.events';
import { CouponSnapshot } from './credit-snapshot';
import { Order } from './order.aggregate';

// Coupons on an order: applying one (checked against its uses) and revoking it (the coupon-usage compensation).
const coupon = (uses: number, maxUses = 10, discount = 150): CouponSnapshot => ({
  couponId: 'k-1',
  discount,
  maxUses,
  uses,
  exceeds: (added) => uses + added > maxUses,
});
const created = orderCreated({ orderId: 'o-1', customerId: 'c-1', total: 400 });
const couponApplied = couponAppliedEvent({
  orderId: 'o-1',
  customerId: 'c-1',
  couponId: 'k-1',
  discount: 150,
  couponAmount: 150,
});
const held = orderPutOnHold({ orderId: 'o-1', customerId: 'c-1', reason: 'over limit', violationId: 'v-1' });
const order = () => Order.blank('o-1');

describe('Order and its coupon', () => {
  describe('ApplyCoupon', () => {
    it('applies the coupon, its discount capped at the total', () => {
      given(order(), created)
        .when((o) => o.applyCoupon(coupon(9)))
        .then([couponApplied]);
      given(order(), created)
        .when((o) => o.applyCoupon(coupon(0, 10, 1000)))
        .then([
          couponAppliedEvent({ orderId: 'o-1', customerId: 'c-1', couponId: 'k-1', discount: 400, couponAmount: 1000 }),
        ]);
    });

    it('refuses an exhausted coupon', () => {
      given(order(), created)
        .when((o) => o.applyCoupon(coupon(10)))
        .thenRefused('COUPON_EXHAUSTED');
    });

    it('refuses a second coupon and a closed order', () => {
      given(order(), created, couponApplied)
        .when((o) => o.applyCoupon(coupon(0)))
        .thenRefused('INVALID_STATE');
      given(order(), created, orderCompleted({ orderId: 'o-1', customerId: 'c-1' }))
        .when((o) => o.applyCoupon(coupon(0)))
        .thenRefused('INVALID_STATE');
    });
  });

  describe('RevokeCoupon (compensation)', () => {
    it('revokes the coupon, restoring the full total', () => {
      const revoked = given(order(), created, couponApplied)
        .when((o) => o.revokeCoupon('overbooked', 'v-2'))
        .then([
          couponRevoked({
            orderId: 'o-1',
            customerId: 'c-1',
            couponId: 'k-1',
            discount: 150,
            reason: 'overbooked',
            violationId: 'v-2',
          }),
        ]);
      expect(revoked.snapshot()).toMatchObject({ couponId: null, discount: 0, total: 400 });
    });

    it('refuses an order without a coupon', () => {
      given(order(), created)
        .when((o) => o.revokeCoupon('x'))
        .thenRefused('INVALID_STATE');
    });

    // A CouponRevoked after OrderCancelled would reopen the order's exposure.
    it('refuses a cancelled order: it no longer uses the coupon', () => {
      given(order(), created, couponApplied, orderCancelled({ orderId: 'o-1', customerId: 'c-1', couponId: 'k-1' }))
        .when((o) => o.revokeCoupon('overbooked', 'v-2'))
        .thenRefused('INVALID_STATE', /it is cancelled/);
    });

    it('revokes from a held or completed order: both still use the coupon', () => {
      const revoked = couponRevoked({
        orderId: 'o-1',
        customerId: 'c-1',
        couponId: 'k-1',
        discount: 150,
        reason: 'overbooked',
        violationId: 'v-2',
      });
      given(order(), created, couponApplied, held)
        .when((o) => o.revokeCoupon('overbooked', 'v-2'))
        .then([revoked]);
      given(order(), created, couponApplied, orderCompleted({ orderId: 'o-1', customerId: 'c-1', couponId: 'k-1' }))
        .when((o) => o.revokeCoupon('overbooked', 'v-2'))
        .then([revoked]);
    });
  });
});
