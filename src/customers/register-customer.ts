import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { Customer, CustomerState } from './customer.aggregate';
import { CustomerRepository } from './customer.repository';

export class RegisterCustomerCommand extends Command<CustomerState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'RegisterCustomer';

  constructor(
    readonly customerId: string,
    readonly name: string,
    readonly email: string,
    readonly creditLimit: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly customers: CustomerRepository,
  ) {}

  execute(command: RegisterCustomerCommand): Promise<CustomerState> {
    const { customerId, name, email, creditLimit, meta } = command;
    return this.runner.runSingleWrite(command, (tx) =>
      this.customers.create(tx, customerId, meta, { name, email, creditLimit }, () =>
        Customer.register(customerId, name, email, creditLimit),
      ),
    );
  }
}
