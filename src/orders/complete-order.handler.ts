import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../shared/command-runner';
import { CompleteOrderCommand } from './complete-order.command';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

@CommandHandler(CompleteOrderCommand)
export class CompleteOrderHandler implements ICommandHandler<CompleteOrderCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: CompleteOrderCommand): Promise<OrderState> {
    return this.runner.run(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) => order.complete()),
    );
  }
}
