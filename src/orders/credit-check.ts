import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvariantSettings } from '../invariants/invariant-settings';
import { serializeOnKey } from '../invariants/serialize-on-key';
import { CreditSnapshot } from './credit-snapshot';
import { notFound } from '../shared/domain-error';
import { creditOf } from './order-reads';

/**
 * Reads what the credit rule needs at the last moment. Under `react` it
 * locks nothing (a concurrent order may slip past: the saga catches it);
 * under `prevent` it first queues on the customer's key.
 */
@Injectable()
export class CreditCheck {
  constructor(private readonly settings: InvariantSettings) {}

  async read(tx: EntityManager, customerId: string): Promise<CreditSnapshot> {
    if (this.settings.strategy('credit-limit') === 'prevent') await serializeOnKey(tx, 'credit-limit', customerId);
    const credit = await creditOf(tx, customerId);
    if (!credit) throw notFound('customer', customerId);
    return { customerId, ...credit };
  }
}
