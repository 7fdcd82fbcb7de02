import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../shared/command-runner';
import { CancelOrderCommand } from './cancel-order.command';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: CancelOrderCommand): Promise<OrderState> {
    return this.runner.run(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) => order.cancel()),
    );
  }
}
