import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CreditCheck } from '../../orders/credit-check';
import { CreditSnapshot } from '../../orders/credit-snapshot';
import { notFound } from '../../shared/domain-error';
import { wouldExceed } from '../define-invariant';
import { InvariantSettings } from '../invariant-settings';
import { lockIfPrevent } from '../serialize-on-key';
import { creditLimit } from './credit-limit.invariant';
import { creditOf } from './credit-limit.reads';
import { creditRule } from './credit-limit.rule';

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
    await lockIfPrevent(tx, this.settings, creditLimit.name, customerId);
    const figures = await creditOf(tx, customerId);
    if (!figures) throw notFound('customer', customerId);
    return { customerId, ...figures, exceeds: (added) => wouldExceed(creditRule, figures, added) };
  }
}
