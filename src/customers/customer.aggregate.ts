import { Aggregate } from '../aggregates/aggregate';
import { DomainError } from '../shared/domain-error';
import { assertNever } from '../aggregates/domain-event';
import { customerCreditLimitChanged, CustomerEvent, customerRegistered } from './customer.events';

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

export class Customer extends Aggregate<CustomerState, CustomerEvent> {
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
    customer.record(customerRegistered({ customerId: id, name, email, creditLimit }));
    return customer;
  }

  changeCreditLimit(creditLimit: number): void {
    assertLimit(creditLimit);
    if (creditLimit === this.state.creditLimit) return;
    this.record(
      customerCreditLimitChanged({ customerId: this.id, previousLimit: this.state.creditLimit, newLimit: creditLimit }),
    );
  }

  protected apply(event: CustomerEvent): void {
    switch (event.type) {
      case 'CustomerRegistered': {
        const { name, email, creditLimit } = event.payload;
        this.state = { ...this.state, name, email, creditLimit };
        return;
      }
      case 'CustomerCreditLimitChanged':
        this.state = { ...this.state, creditLimit: event.payload.newLimit };
        return;
      default:
        assertNever(event);
    }
  }
}
