import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { exposureOf } from '../orders/order-reads';
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
  ) {}

  async execute({ customerId }: GetCustomerQuery): Promise<CustomerView> {
    const { manager } = this.dataSource;
    const { id, name, email, creditLimit, version } = (await this.customers.get(manager, customerId)).snapshot();
    return { id, name, email, creditLimit, exposure: await exposureOf(manager, customerId), version };
  }
}
