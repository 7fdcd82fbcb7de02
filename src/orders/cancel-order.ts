import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

export class CancelOrderCommand extends Command<OrderState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'CancelOrder';

  constructor(
    readonly orderId: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: CancelOrderCommand): Promise<OrderState> {
    return this.runner.runSingleWrite(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) => order.cancel()),
    );
  }
}
