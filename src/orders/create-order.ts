import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { CreditCheck } from './credit-check';
import { Order, OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

export class CreateOrderCommand extends Command<OrderState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'CreateOrder';

  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly total: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(CreateOrderCommand)
export class CreateOrderHandler implements ICommandHandler<CreateOrderCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
    private readonly credit: CreditCheck,
  ) {}

  execute(command: CreateOrderCommand): Promise<OrderState> {
    const { orderId, customerId, total, meta } = command;
    return this.runner.runSingleWrite(command, (tx) =>
      this.orders.create(tx, orderId, meta, { customerId, total }, async () =>
        Order.create(orderId, total, await this.credit.read(tx, customerId)),
      ),
    );
  }
}
