import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { CreditCheck } from './credit-check';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

export class ChangeOrderTotalCommand extends Command<OrderState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'ChangeOrderTotal';

  constructor(
    readonly orderId: string,
    readonly total: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(ChangeOrderTotalCommand)
export class ChangeOrderTotalHandler implements ICommandHandler<ChangeOrderTotalCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
    private readonly credit: CreditCheck,
  ) {}

  execute(command: ChangeOrderTotalCommand): Promise<OrderState> {
    const { orderId, total, meta } = command;
    return this.runner.runSingleWrite(command, async (tx) => {
      const [order, credit] = await this.orders.getWith(tx, orderId, this.credit.forOrder(tx, orderId));
      order.changeTotal(total, credit);
      await this.orders.save(tx, order, meta);
      return order.snapshot();
    });
  }
}
