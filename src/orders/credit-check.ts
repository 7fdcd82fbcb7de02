import { EntityManager } from 'typeorm';
import { CreditSnapshot } from './credit-snapshot';

/**
 * Port: what the credit rule needs at the last moment. The credit-limit
 * invariant (src/invariants/credit-limit/) implements it with its own rule
 * and reads, and queues on the customer's key under `prevent`.
 */
export abstract class CreditCheck {
  abstract read(tx: EntityManager, customerId: string): Promise<CreditSnapshot>;
}
