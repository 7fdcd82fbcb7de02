import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

export class RevokeCouponCommand extends Command<OrderState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'RevokeCoupon';

  constructor(
    readonly orderId: string,
    readonly reason: string,
    readonly violationId?: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(RevokeCouponCommand)
export class RevokeCouponHandler implements ICommandHandler<RevokeCouponCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: RevokeCouponCommand): Promise<OrderState> {
    return this.runner.runSingleWrite(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) =>
        order.revokeCoupon(command.reason, command.violationId),
      ),
    );
  }
}
