import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

export class CompleteOrderCommand extends Command<OrderState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'CompleteOrder';

  constructor(
    readonly orderId: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(CompleteOrderCommand)
export class CompleteOrderHandler implements ICommandHandler<CompleteOrderCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: CompleteOrderCommand): Promise<OrderState> {
    return this.runner.runSingleWrite(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) => order.complete()),
    );
  }
}
