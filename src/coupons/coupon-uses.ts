import { EntityManager } from 'typeorm';

/**
 * Port: the orders holding a coupon, for the coupon view. The coupon-usage
 * invariant implements it with the read its last-moment check uses.
 */
export abstract class CouponUses {
  abstract of(tx: EntityManager, couponId: string): Promise<number>;
}
