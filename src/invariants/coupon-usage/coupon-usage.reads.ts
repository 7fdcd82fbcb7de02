/** The audit's recomputation: every coupon's limits and the orders holding it (not cancelled) from the current rows. */
export const COUPON_AUDIT_SQL = `SELECT k.id AS key, k.max_uses::text AS max_uses, k.allowed_overbooking::text AS allowed_overbooking,
       (SELECT count(*) FROM orders o WHERE o.coupon_id = k.id AND o.status <> 'cancelled')::text AS uses
  FROM coupons k ORDER BY k.id`;
