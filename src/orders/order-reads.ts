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

/** A customer's limit and exposure in one round trip; null when the customer does not exist. */
export async function creditOf(tx: EntityManager, customerId: string): Promise<{ creditLimit: number; exposure: number } | null> {
  const [row] = await tx.query(
    `SELECT c.credit_limit::text AS credit_limit,
            (SELECT coalesce(sum(o.total - o.discount), 0) FROM orders o WHERE o.customer_id = c.id AND o.status = 'open')::text AS exposure
       FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  return row ? { creditLimit: Number(row.credit_limit), exposure: Number(row.exposure) } : null;
}
