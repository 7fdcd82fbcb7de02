import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CouponUses } from '../../coupons/coupon-uses';

/** Orders holding a coupon: applied, not revoked, order not cancelled. */
export async function usesOf(tx: EntityManager, couponId: string): Promise<number> {
  const [row] = await tx.query(
    `SELECT count(*)::int AS uses FROM orders WHERE coupon_id = $1 AND status <> 'cancelled'`,
    [couponId],
  );
  return row.uses;
}

/** The coupon view's uses (the coupons port), read as the apply-coupon check reads it. */
@Injectable()
export class CouponUsageUses extends CouponUses {
  of(tx: EntityManager, couponId: string): Promise<number> {
    return usesOf(tx, couponId);
  }
}

/** The audit's recomputation: every coupon's limits and the orders holding it (not cancelled) from the current rows. */
export const COUPON_AUDIT_SQL = `SELECT k.id AS key, k.max_uses::text AS max_uses, k.allowed_overbooking::text
  AS allowed_overbooking,
       (SELECT count(*) FROM orders o WHERE o.coupon_id = k.id AND o.status <> 'cancelled')::text AS uses
  FROM coupons k ORDER BY k.id`;
