import { DomainEvent, factoriesOf } from '../aggregates/domain-event';

/** The events of a Coupon; the `type` strings are stored and must never change. */
export type CouponEvent =
  | DomainEvent<
      'CouponCreated',
      { couponId: string; code: string; maxUses: number; discount: number; allowedOverbooking: number }
    >
  | DomainEvent<'CouponLimitChanged', { couponId: string; previousMaxUses: number; maxUses: number }>;

export type CouponEventType = CouponEvent['type'];

const couponEvent = factoriesOf<CouponEvent>();
export const couponCreated = couponEvent('CouponCreated');
export const couponLimitChanged = couponEvent('CouponLimitChanged');
