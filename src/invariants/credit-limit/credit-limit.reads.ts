import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { preparedQuery, Statement } from '../../database/prepared-query';
import { CustomerExposure } from '../../customers/customer-exposure';
import { CreditFigures } from './credit-limit.rule';

/** Sum of (total - discount) over the open orders of customer $1: an index-only read. */
const EXPOSURE_SQL = `SELECT coalesce(sum(o.total - o.discount), 0) FROM orders o WHERE o.customer_id = $1
  AND o.status = 'open'`;

export async function exposureOf(tx: EntityManager, customerId: string): Promise<number> {
  const [row] = await tx.query(`SELECT (${EXPOSURE_SQL})::text AS exposure`, [customerId]);
  return Number(row.exposure);
}

/** The customer view's exposure (the customers port), read as the credit check reads it. */
@Injectable()
export class CreditLimitExposure extends CustomerExposure {
  of(tx: EntityManager, customerId: string): Promise<number> {
    return exposureOf(tx, customerId);
  }
}

/**
 * A customer's id, limit and exposure as a sub-select for a statement that
 * loads something else (see SideRead); `customerId` is an SQL expression.
 */
export const creditFiguresSql = (customerId: string) => `SELECT c.id AS credit_customer,
  c.credit_limit::text AS credit_limit, (${EXPOSURE_SQL.replace('$1', 'c.id')})::text AS exposure
  FROM customers c WHERE c.id = ${customerId}`;

/** The figures of a row of creditFiguresSql. */
export const creditFiguresOf = (row: Record<string, unknown>): CreditFigures => ({
  creditLimit: Number(row.credit_limit),
  exposure: Number(row.exposure),
});

/** A customer's limit and exposure in one round trip (`before`, a lock, in it too); null for an unknown customer. */
export async function creditOf(
  tx: EntityManager,
  customerId: string,
  before: Statement[] = [],
): Promise<CreditFigures | null> {
  const [row] = await preparedQuery(tx, creditFiguresSql('$1'), [customerId], { before });
  return row ? creditFiguresOf(row) : null;
}

/** The audit's recomputation: every customer's limit and exposure from the current rows. */
export const CREDIT_AUDIT_SQL = `SELECT c.id AS key, c.credit_limit::text AS credit_limit,
       coalesce((SELECT sum(o.total - o.discount) FROM orders o WHERE o.customer_id = c.id
         AND o.status = 'open'), 0)::text AS exposure
  FROM customers c ORDER BY c.id`;
