import { given } from '../testing/aggregate-spec';
import {
  couponApplied as couponAppliedEvent,
  orderCancelled,
  orderCompleted,
  orderCreated,
  orderPutOnHold,
  orderReleased,
  orderTotalChanged,
} from './order.events';
import { CreditSnapshot } from './credit-snapshot';
import { Order } from './order.aggregate';

// An order's life cycle and its credit checks (coupons: order-coupon.aggregate.spec.ts). The rule's own
// answer, as the credit-limit check gives it: strict, no tolerance.
const credit = (exposure: number, creditLimit = 1000): CreditSnapshot => ({
  customerId: 'c-1',
  creditLimit,
  exposure,
  exceeds: (added) => exposure + added > creditLimit,
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

describe('Order', () => {
  describe('CreateOrder', () => {
    it('records OrderCreated when exposure + total stays within the limit', () => {
      expect(Order.create('o-1', 400, credit(600)).getUncommittedEvents()).toEqual([created]);
    });

    it('refuses when exposure + total exceeds the limit', () => {
      expect(() => Order.create('o-1', 401, credit(600))).toThrow(
        expect.objectContaining({ code: 'CREDIT_LIMIT_EXCEEDED' }),
      );
    });
  });

  describe('ChangeOrderTotal', () => {
    it('records an increase that fits the limit', () => {
      given(order(), created)
        .when((o) => o.changeTotal(500, credit(900)))
        .then([
          orderTotalChanged({ orderId: 'o-1', customerId: 'c-1', previousTotal: 400, newTotal: 500, discount: 0 }),
        ]);
    });

    it('refuses an increase beyond the limit', () => {
      given(order(), created)
        .when((o) => o.changeTotal(501, credit(900)))
        .thenRefused('CREDIT_LIMIT_EXCEEDED');
    });

    it('accepts a decrease even over the limit, and re-caps a coupon at the new total', () => {
      given(order(), created, couponApplied)
        .when((o) => o.changeTotal(100, credit(5000)))
        .then([
          orderTotalChanged({
            orderId: 'o-1',
            customerId: 'c-1',
            previousTotal: 400,
            newTotal: 100,
            discount: 100,
            couponId: 'k-1',
          }),
        ]);
    });

    it('counts only the net increase when a coupon is held', () => {
      // 400 - 150 = 250 now; 600 - 150 = 450: +200 against 800 + 200 = 1000.
      given(order(), created, couponApplied)
        .when((o) => o.changeTotal(600, credit(800)))
        .then([
          orderTotalChanged({
            orderId: 'o-1',
            customerId: 'c-1',
            previousTotal: 400,
            newTotal: 600,
            discount: 150,
            couponId: 'k-1',
          }),
        ]);
    });

    it('refuses unless the order is open', () => {
      given(order(), created, held)
        .when((o) => o.changeTotal(300, credit(0)))
        .thenRefused('INVALID_STATE');
    });
  });

  describe('CancelOrder', () => {
    it('cancels an open or held order, carrying its coupon', () => {
      given(order(), created, couponApplied)
        .when((o) => o.cancel())
        .then([orderCancelled({ orderId: 'o-1', customerId: 'c-1', couponId: 'k-1' })]);
      given(order(), created, held)
        .when((o) => o.cancel())
        .then([orderCancelled({ orderId: 'o-1', customerId: 'c-1' })]);
    });

    it('refuses a completed or cancelled order', () => {
      given(order(), created, orderCompleted({ orderId: 'o-1', customerId: 'c-1' }))
        .when((o) => o.cancel())
        .thenRefused('INVALID_STATE');
      given(order(), created, orderCancelled({ orderId: 'o-1', customerId: 'c-1' }))
        .when((o) => o.cancel())
        .thenRefused('INVALID_STATE');
    });
  });

  describe('CompleteOrder', () => {
    it('completes an open order', () => {
      given(order(), created)
        .when((o) => o.complete())
        .then([orderCompleted({ orderId: 'o-1', customerId: 'c-1' })]);
    });

    it('refuses a held order', () => {
      given(order(), created, held)
        .when((o) => o.complete())
        .thenRefused('INVALID_STATE');
    });
  });

  describe('HoldOrder (compensation)', () => {
    it('holds an open order with the reason and violation', () => {
      given(order(), created)
        .when((o) => o.hold('over limit', 'v-1'))
        .then([held]);
    });

    it('refuses an order that is not open: held, cancelled or completed', () => {
      given(order(), created, held)
        .when((o) => o.hold('again'))
        .thenRefused('INVALID_STATE', /it is on_hold/);
      given(order(), created, orderCancelled({ orderId: 'o-1', customerId: 'c-1' }))
        .when((o) => o.hold('x'))
        .thenRefused('INVALID_STATE', /it is cancelled/);
      given(order(), created, orderCompleted({ orderId: 'o-1', customerId: 'c-1' }))
        .when((o) => o.hold('x'))
        .thenRefused('INVALID_STATE', /it is completed/);
    });
  });

  describe('ReleaseOrder', () => {
    it('releases a held order that fits the limit again', () => {
      given(order(), created, held)
        .when((o) => o.release(credit(600)))
        .then([orderReleased({ orderId: 'o-1', customerId: 'c-1' })]);
    });

    it('refuses while it would exceed the limit', () => {
      given(order(), created, held)
        .when((o) => o.release(credit(601)))
        .thenRefused('CREDIT_LIMIT_EXCEEDED');
    });

    it('refuses an order that is not held', () => {
      given(order(), created)
        .when((o) => o.release(credit(0)))
        .thenRefused('INVALID_STATE');
    });
  });
});
