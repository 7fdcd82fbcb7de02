import { EntityManager } from 'typeorm';

/** Sum of (total - discount) over the open orders of customer $1: an index-only read. */
export const EXPOSURE_SQL = `SELECT coalesce(sum(o.total - o.discount), 0) FROM orders o WHERE o.customer_id = $1 AND o.status = 'open'`;

export async function exposureOf(tx: EntityManager, customerId: string): Promise<number> {
  const [row] = await tx.query(`SELECT (${EXPOSURE_SQL})::text AS exposure`, [customerId]);
  return Number(row.exposure);
}

/** Orders holding a coupon: applied, not revoked, order not cancelled. */
export async function usesOf(tx: EntityManager, couponId: string): Promise<number> {
  const [row] = await tx.query(
    `SELECT count(*)::int AS uses FROM orders WHERE coupon_id = $1 AND status <> 'cancelled'`,
    [couponId],
  );
  return row.uses;
}
