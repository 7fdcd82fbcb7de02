import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

export class HoldOrderCommand extends Command<OrderState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'HoldOrder';

  constructor(
    readonly orderId: string,
    readonly reason: string,
    readonly violationId?: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(HoldOrderCommand)
export class HoldOrderHandler implements ICommandHandler<HoldOrderCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: HoldOrderCommand): Promise<OrderState> {
    return this.runner.runSingleWrite(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) => order.hold(command.reason, command.violationId)),
    );
  }
}
