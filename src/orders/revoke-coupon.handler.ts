import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../shared/command-runner';
import { RevokeCouponCommand } from './revoke-coupon.command';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

@CommandHandler(RevokeCouponCommand)
export class RevokeCouponHandler implements ICommandHandler<RevokeCouponCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
  ) {}

  execute(command: RevokeCouponCommand): Promise<OrderState> {
    return this.runner.run(command, (tx) =>
      this.orders.change(tx, command.orderId, command.meta, (order) =>
        order.revokeCoupon(command.reason, command.violationId),
      ),
    );
  }
}
