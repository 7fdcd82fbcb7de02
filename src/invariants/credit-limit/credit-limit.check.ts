import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SideRead } from '../../aggregates/aggregate-repository';
import { CreditCheck } from '../../orders/credit-check';
import { CreditSnapshot } from '../../orders/credit-snapshot';
import { notFound } from '../../shared/domain-error';
import { wouldExceed } from '../define-invariant';
import { InvariantSettings } from '../invariant-settings';
import { lockStatementsIfPrevent } from '../serialize-on-key';
import { creditLimit } from './credit-limit.invariant';
import { creditFiguresOf, creditFiguresSql, creditOf } from './credit-limit.reads';
import { CreditFigures, creditRule } from './credit-limit.rule';

const snapshot = (customerId: string, figures: CreditFigures): CreditSnapshot => ({
  customerId,
  ...figures,
  exceeds: (added) => wouldExceed(creditRule, figures, added),
});

/**
 * The order commands' last-moment credit check. Under `react` it locks
 * nothing (a concurrent order may slip past: the saga catches it); under
 * `prevent` it first queues on the customer's key. The same rule as the saga's.
 */
@Injectable()
export class CreditLimitCheck extends CreditCheck {
  constructor(private readonly settings: InvariantSettings) {
    super();
  }

  async read(tx: EntityManager, customerId: string): Promise<CreditSnapshot> {
    const lock = lockStatementsIfPrevent(tx, this.settings, creditLimit.name, customerId);
    const figures = await creditOf(tx, customerId, lock);
    if (!figures) throw notFound('customer', customerId);
    return snapshot(customerId, figures);
  }

  forOrder(tx: EntityManager, orderId: string): SideRead<CreditSnapshot> {
    // An order's customer never changes: the lock may look it up before the read's snapshot.
    const customer = { sql: 'SELECT customer_id FROM orders WHERE id = $2', params: [orderId] };
    return {
      before: lockStatementsIfPrevent(tx, this.settings, creditLimit.name, customer),
      sql: () => creditFiguresSql('a.customer_id'),
      parse: (row) => {
        // Customers are never deleted: an order's customer is always there.
        if (!row) throw notFound('customer of order', orderId);
        return snapshot(String(row.credit_customer), creditFiguresOf(row));
      },
    };
  }
}
