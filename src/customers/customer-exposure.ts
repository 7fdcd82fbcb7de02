import { EntityManager } from 'typeorm';

/**
 * Port: a customer's exposure (sum of total - discount over the open
 * orders) for the customer view. The credit-limit invariant implements it
 * with the same read its last-moment check uses, so customers/ never reads orders.
 */
export abstract class CustomerExposure {
  abstract of(tx: EntityManager, customerId: string): Promise<number>;
}
