import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CustomerExposure } from './customer-exposure';
import { CustomerRepository } from './customer.repository';
import { CustomerView } from './customer.view';

export class GetCustomerQuery extends Query<CustomerView> {
  constructor(readonly customerId: string) {
    super();
  }
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly customers: CustomerRepository,
    private readonly exposure: CustomerExposure,
  ) {}

  async execute({ customerId }: GetCustomerQuery): Promise<CustomerView> {
    const { manager } = this.dataSource;
    const { id, name, email, creditLimit, version } = (await this.customers.get(manager, customerId)).snapshot();
    return { id, name, email, creditLimit, exposure: await this.exposure.of(manager, customerId), version };
  }
}
