import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../shared/command-runner';
import { HoldOrderCommand } from './hold-order.command';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

@CommandHandler(HoldOrderCommand)
export class HoldOrderHandler implements ICommandHandler<HoldOrderCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: HoldOrderCommand): Promise<OrderState> {
    return this.runner.run(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) => order.hold(command.reason, command.violationId)),
    );
  }
}
