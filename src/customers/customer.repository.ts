import { Injectable } from '@nestjs/common';
import { EventLogService } from '../event-log/event-log.service';
import { AggregateRepository } from '../aggregates/aggregate-repository';
import { Customer, CustomerState } from './customer.aggregate';

@Injectable()
export class CustomerRepository extends AggregateRepository<Customer, CustomerState> {
  protected readonly streamType = 'Customer';
  protected readonly table = 'customers';
  protected readonly columns = {
    id: 'id',
    name: 'name',
    email: 'email',
    creditLimit: 'credit_limit',
    version: 'version',
  };
  protected readonly amounts = ['creditLimit'] as const;

  constructor(eventLog: EventLogService) {
    super(eventLog);
  }

  protected rehydrate(state: CustomerState): Customer {
    return Customer.rehydrate(state);
  }
}
