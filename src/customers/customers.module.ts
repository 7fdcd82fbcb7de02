import { Module } from '@nestjs/common';
import { ChangeCreditLimitHandler } from './change-credit-limit';
import { CustomerRepository } from './customer.repository';
import { CustomersController } from './customers.controller';
import { GetCustomerHandler } from './get-customer';
import { RegisterCustomerHandler } from './register-customer';

@Module({
  controllers: [CustomersController],
  providers: [CustomerRepository, RegisterCustomerHandler, ChangeCreditLimitHandler, GetCustomerHandler],
  exports: [CustomerRepository],
})
export class CustomersModule {}
