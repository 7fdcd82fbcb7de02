import { EntityManager } from 'typeorm';
import { EXPOSURE_SQL } from '../../orders/order-reads';
import { CreditFigures } from './credit-limit.rule';

/** A customer's limit and exposure in one round trip; null when the customer does not exist. */
export async function creditOf(tx: EntityManager, customerId: string): Promise<CreditFigures | null> {
  const [row] = await tx.query(
    `SELECT c.credit_limit::text AS credit_limit, (${EXPOSURE_SQL})::text AS exposure FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  return row ? { creditLimit: Number(row.credit_limit), exposure: Number(row.exposure) } : null;
}

/** The audit's recomputation: every customer's limit and exposure from the current rows. */
export const CREDIT_AUDIT_SQL = `SELECT c.id AS key, c.credit_limit::text AS credit_limit,
       coalesce((SELECT sum(o.total - o.discount) FROM orders o WHERE o.customer_id = c.id AND o.status = 'open'), 0)::text AS exposure
  FROM customers c ORDER BY c.id`;
