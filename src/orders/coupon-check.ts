import { EntityManager } from 'typeorm';
import { CouponSnapshot } from './credit-snapshot';

/** Port: what the coupon rule needs at the last moment; the coupon-usage invariant implements it (see CreditCheck). */
export abstract class CouponCheck {
  abstract read(tx: EntityManager, couponId: string): Promise<CouponSnapshot>;
}
