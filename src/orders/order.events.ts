import { DomainEvent, factoriesOf } from '../aggregates/domain-event';

/** Every order event carries its order and customer, and the coupon it holds (tags for lookups). */
type Tagged = { orderId: string; customerId: string; couponId?: string };

/**
 * The events of an Order. The `type` strings are what the log stores: they
 * must never change (sagas, SQL and metrics select on them).
 */
export type OrderEvent =
  | DomainEvent<'OrderCreated', { orderId: string; customerId: string; total: number }>
  | DomainEvent<
      'OrderTotalChanged',
      Tagged & {
        previousTotal: number;
        newTotal: number;
        /** The discount after the change (a coupon's amount is capped at the total). */
        discount: number;
      }
    >
  | DomainEvent<'OrderPutOnHold', Tagged & { reason: string; violationId?: string }>
  | DomainEvent<'OrderReleased', Tagged>
  | DomainEvent<'OrderCompleted', Tagged>
  | DomainEvent<'OrderCancelled', Tagged>
  | DomainEvent<
      'CouponApplied',
      Tagged & {
        couponId: string;
        /** The coupon's amount, capped at the order's total. */
        discount: number;
        /** The coupon's own amount, kept to re-cap the discount when the total changes. */
        couponAmount: number;
      }
    >
  | DomainEvent<'CouponRevoked', Tagged & { couponId: string; discount: number; reason: string; violationId?: string }>;

export type OrderEventType = OrderEvent['type'];

const orderEvent = factoriesOf<OrderEvent>();
export const orderCreated = orderEvent('OrderCreated');
export const orderTotalChanged = orderEvent('OrderTotalChanged');
export const orderPutOnHold = orderEvent('OrderPutOnHold');
export const orderReleased = orderEvent('OrderReleased');
export const orderCompleted = orderEvent('OrderCompleted');
export const orderCancelled = orderEvent('OrderCancelled');
export const couponApplied = orderEvent('CouponApplied');
export const couponRevoked = orderEvent('CouponRevoked');
