import { Global, Module } from '@nestjs/common';
import { CustomerExposure } from '../../customers/customer-exposure';
import { CreditCheck } from '../../orders/credit-check';
import { invariantProvider } from '../invariant-registry';
import { CreditLimitCheck } from './credit-limit.check';
import { creditLimit } from './credit-limit.invariant';
import { CreditLimitExposure } from './credit-limit.reads';

/**
 * The built-in credit-limit invariant: its declaration, the order commands' last-moment check and the customer view's
 * exposure (the domain's ports).
 */
@Global()
@Module({
  providers: [
    invariantProvider(creditLimit),
    { provide: CreditCheck, useClass: CreditLimitCheck },
    { provide: CustomerExposure, useClass: CreditLimitExposure },
  ],
  exports: [CreditCheck, CustomerExposure],
})
export class CreditLimitModule {}
