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
    // Still one transaction, holding its reads' locks until it writes: test/api/version-order.spec.ts forces
    // a saga's command to wait behind this one with those locks (see README, How a command runs).
    return this.runner.run(command, async (tx) => {
      const order = await this.orders.get(tx, orderId);
      order.changeTotal(total, await this.credit.read(tx, order.snapshot().customerId));
      await this.orders.save(tx, order, meta);
      return order.snapshot();
    });
  }
}
