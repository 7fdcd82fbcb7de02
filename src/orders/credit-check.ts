import { EntityManager } from 'typeorm';
import { SideRead } from '../aggregates/aggregate-repository';
import { CreditSnapshot } from './credit-snapshot';

/**
 * Port: what the credit rule needs at the last moment. The credit-limit
 * invariant (src/invariants/credit-limit/) implements it with its own rule
 * and reads, and queues on the customer's key under `prevent`.
 */
export abstract class CreditCheck {
  abstract read(tx: EntityManager, customerId: string): Promise<CreditSnapshot>;

  /**
   * The same figures for the customer of order `orderId`, to read in the
   * statement that loads the order (OrderRepository.getWith); under
   * `prevent`, after queueing on that customer.
   */
  abstract forOrder(tx: EntityManager, orderId: string): SideRead<CreditSnapshot>;
}
