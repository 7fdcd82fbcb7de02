import { Module } from '@nestjs/common';
import { ChangeCreditLimitHandler } from './change-credit-limit.handler';
import { CustomerRepository } from './customer.repository';
import { CustomersController } from './customers.controller';
import { GetCustomerHandler } from './get-customer.handler';
import { RegisterCustomerHandler } from './register-customer.handler';

@Module({
  controllers: [CustomersController],
  providers: [CustomerRepository, RegisterCustomerHandler, ChangeCreditLimitHandler, GetCustomerHandler],
  exports: [CustomerRepository],
})
export class CustomersModule {}
