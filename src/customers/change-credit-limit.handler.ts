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

  execute(command: ChangeCreditLimitCommand): Promise<CustomerState> {
    const { customerId, creditLimit, meta } = command;
    return this.runner.run(command, (tx) =>
      this.customers.change(tx, customerId, meta, (customer) => customer.changeCreditLimit(creditLimit)),
    );
  }
}
