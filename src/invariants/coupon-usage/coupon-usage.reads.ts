import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { preparedQuery } from '../../database/prepared-query';
import { CouponUses } from '../../coupons/coupon-uses';

/** Orders holding coupon $1: applied, not revoked, order not cancelled. */
const USES_SQL = `SELECT count(*)::int FROM orders WHERE coupon_id = $1 AND status <> 'cancelled'`;

export async function usesOf(tx: EntityManager, couponId: string): Promise<number> {
  const [row] = await tx.query(`SELECT (${USES_SQL}) AS uses`, [couponId]);
  return row.uses;
}

/** A coupon's limit, discount and uses in one round trip; null when the coupon does not exist. */
export async function couponFiguresOf(
  tx: EntityManager,
  couponId: string,
): Promise<{ maxUses: number; discount: number; uses: number } | null> {
  const [row] = await preparedQuery<{ max_uses: number; discount: string; uses: number }>(
    tx,
    `SELECT k.max_uses, k.discount::text AS discount, (${USES_SQL}) AS uses FROM coupons k WHERE k.id = $1`,
    [couponId],
  );
  return row ? { maxUses: Number(row.max_uses), discount: Number(row.discount), uses: row.uses } : null;
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
