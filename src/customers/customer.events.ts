import { DomainEvent, factoriesOf } from '../aggregates/domain-event';

/** The events of a Customer; the `type` strings are stored and must never change. */
export type CustomerEvent =
  | DomainEvent<'CustomerRegistered', { customerId: string; name: string; email: string; creditLimit: number }>
  | DomainEvent<'CustomerCreditLimitChanged', { customerId: string; previousLimit: number; newLimit: number }>;

export type CustomerEventType = CustomerEvent['type'];

const customerEvent = factoriesOf<CustomerEvent>();
export const customerRegistered = customerEvent('CustomerRegistered');
export const customerCreditLimitChanged = customerEvent('CustomerCreditLimitChanged');
