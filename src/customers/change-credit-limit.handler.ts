import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../shared/command-runner';
import { ChangeCreditLimitCommand } from './change-credit-limit.command';
import { CustomerState } from './customer.aggregate';
import { CustomerRepository } from './customer.repository';

@CommandHandler(ChangeCreditLimitCommand)
export class ChangeCreditLimitHandler implements ICommandHandler<ChangeCreditLimitCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly customers: CustomerRepository,
  ) {}

  execute({ customerId, creditLimit, meta }: ChangeCreditLimitCommand): Promise<CustomerState> {
    return this.runner.run((tx) =>
      this.customers.change(tx, customerId, meta, (customer) => customer.changeCreditLimit(creditLimit)), meta);
  }
}
