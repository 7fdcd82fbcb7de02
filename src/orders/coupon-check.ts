import { EntityManager } from 'typeorm';
import { SideRead } from '../aggregates/aggregate-repository';
import { CouponSnapshot } from './credit-snapshot';

/**
 * Port: what the coupon rule needs at the last moment, read in the
 * statement that loads the order (OrderRepository.getWith); the
 * coupon-usage invariant implements it (see CreditCheck).
 */
export abstract class CouponCheck {
  abstract alongside(tx: EntityManager, couponId: string): SideRead<CouponSnapshot>;
}
