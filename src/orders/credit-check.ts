import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerRepository } from '../customers/customer.repository';
import { InvariantSettings } from '../invariants/invariant-settings';
import { serializeOnKey } from '../invariants/serialize-on-key';
import { CreditSnapshot } from './credit-snapshot';
import { exposureOf } from './order-reads';

/**
 * Reads what the credit rule needs at the last moment. Under `react` it
 * locks nothing (a concurrent order may slip past: the saga catches it);
 * under `prevent` it first queues on the customer's key.
 */
@Injectable()
export class CreditCheck {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly settings: InvariantSettings,
  ) {}

  async read(tx: EntityManager, customerId: string): Promise<CreditSnapshot> {
    if (this.settings.strategy('credit-limit') === 'prevent') await serializeOnKey(tx, 'credit-limit', customerId);
    const customer = (await this.customers.get(tx, customerId)).snapshot();
    return { customerId, creditLimit: customer.creditLimit, exposure: await exposureOf(tx, customerId) };
  }
}
