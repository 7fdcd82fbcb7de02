import { EntityManager } from 'typeorm';

/** Sum of (total - discount) over a customer's open orders: an index-only read. */
export async function exposureOf(tx: EntityManager, customerId: string): Promise<number> {
  const [row] = await tx.query(
    `SELECT coalesce(sum(total - discount), 0)::text AS exposure FROM orders WHERE customer_id = $1 AND status = 'open'`,
    [customerId],
  );
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
