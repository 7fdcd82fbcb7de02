import { Aggregate } from '../aggregates/aggregate';
import { DomainError } from '../shared/domain-error';
import { CustomerCreditLimitChanged, CustomerRegistered } from './customer.events';

export interface CustomerState {
  id: string;
  name: string;
  email: string;
  creditLimit: number;
  version: number;
}

function assertLimit(creditLimit: number): void {
  if (!Number.isInteger(creditLimit) || creditLimit < 0) {
    throw new DomainError('VALIDATION_FAILED', 'creditLimit must be an integer >= 0');
  }
}

export class Customer extends Aggregate<CustomerState> {
  static rehydrate(state: CustomerState): Customer {
    return new Customer(state);
  }

  /** Before its first event. */
  static blank(id: string): Customer {
    return new Customer({ id, name: '', email: '', creditLimit: 0, version: 0 });
  }

  static register(id: string, name: string, email: string, creditLimit: number): Customer {
    assertLimit(creditLimit);
    const customer = Customer.blank(id);
    customer.record(new CustomerRegistered(id, name, email, creditLimit));
    return customer;
  }

  changeCreditLimit(creditLimit: number): void {
    assertLimit(creditLimit);
    if (creditLimit === this.state.creditLimit) return;
    this.record(new CustomerCreditLimitChanged(this.id, this.state.creditLimit, creditLimit));
  }

  onCustomerRegistered(event: CustomerRegistered): void {
    this.state = { ...this.state, name: event.name, email: event.email, creditLimit: event.creditLimit };
  }

  onCustomerCreditLimitChanged(event: CustomerCreditLimitChanged): void {
    this.state = { ...this.state, creditLimit: event.newLimit };
  }
}
