import { Global, Module } from '@nestjs/common';
import { CreditCheck } from '../../orders/credit-check';
import { invariantProvider } from '../invariant-registry';
import { CreditLimitCheck } from './credit-limit.check';
import { creditLimit } from './credit-limit.invariant';

/** The built-in credit-limit invariant: its declaration and the order commands' last-moment check. */
@Global()
@Module({
  providers: [invariantProvider(creditLimit), { provide: CreditCheck, useClass: CreditLimitCheck }],
  exports: [CreditCheck],
})
export class CreditLimitModule {}
