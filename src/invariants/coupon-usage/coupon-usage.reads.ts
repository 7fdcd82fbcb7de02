import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CouponUses } from '../../coupons/coupon-uses';

/** Orders holding the coupon `couponId` (an SQL expression): applied, not revoked, order not cancelled. */
const usesSql = (couponId: string) =>
  `SELECT count(*)::int FROM orders WHERE coupon_id = ${couponId} AND status <> 'cancelled'`;

export async function usesOf(tx: EntityManager, couponId: string): Promise<number> {
  const [row] = await tx.query(`SELECT (${usesSql('$1')}) AS uses`, [couponId]);
  return row.uses;
}

/** A coupon's limit, amount and uses as a sub-select for a statement that loads something else (see SideRead). */
export const couponFiguresSql = (couponId: string) => `SELECT k.id AS coupon_key, k.max_uses,
  k.discount::text AS coupon_amount, (${usesSql('k.id')}) AS uses FROM coupons k WHERE k.id = ${couponId}`;

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
