import { EntityManager } from 'typeorm';

/** Sum of (total - discount) over the open orders of customer $1: an index-only read. */
const EXPOSURE_SQL = `SELECT coalesce(sum(o.total - o.discount), 0) FROM orders o WHERE o.customer_id = $1 AND o.status = 'open'`;

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

/** A customer's limit and exposure in one round trip; null when the customer does not exist. */
export async function creditOf(
  tx: EntityManager,
  customerId: string,
): Promise<{ creditLimit: number; exposure: number } | null> {
  const [row] = await tx.query(
    `SELECT c.credit_limit::text AS credit_limit, (${EXPOSURE_SQL})::text AS exposure FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  return row ? { creditLimit: Number(row.credit_limit), exposure: Number(row.exposure) } : null;
}
