import { Query } from '@nestjs/cqrs';

export interface CustomerView {
  id: string;
  name: string;
  email: string;
  creditLimit: number;
  exposure: number;
  version: number;
}

export class GetCustomerQuery extends Query<CustomerView> {
  constructor(readonly customerId: string) {
    super();
  }
}
