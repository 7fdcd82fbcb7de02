import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { CustomerState } from './customer.aggregate';
import { CustomerRepository } from './customer.repository';

export class ChangeCreditLimitCommand extends Command<CustomerState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'ChangeCreditLimit';

  constructor(
    readonly customerId: string,
    readonly creditLimit: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(ChangeCreditLimitCommand)
export class ChangeCreditLimitHandler implements ICommandHandler<ChangeCreditLimitCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly customers: CustomerRepository,
  ) {}

  execute(command: ChangeCreditLimitCommand): Promise<CustomerState> {
    const { customerId, creditLimit, meta } = command;
    return this.runner.runSingleWrite(command, (tx) =>
      this.customers.change(tx, customerId, meta, (customer) => customer.changeCreditLimit(creditLimit)),
    );
  }
}
