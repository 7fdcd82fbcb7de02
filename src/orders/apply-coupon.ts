import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { CouponCheck } from './coupon-check';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';

export class ApplyCouponCommand extends Command<OrderState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'ApplyCoupon';

  constructor(
    readonly orderId: string,
    readonly couponId: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(ApplyCouponCommand)
export class ApplyCouponHandler implements ICommandHandler<ApplyCouponCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderRepository,
    private readonly coupons: CouponCheck,
  ) {}

  execute(command: ApplyCouponCommand): Promise<OrderState> {
    const { orderId, couponId, meta } = command;
    return this.runner.runSingleWrite(command, async (tx) => {
      const [order, coupon] = await this.orders.getWith(tx, orderId, this.coupons.alongside(tx, couponId));
      order.applyCoupon(coupon);
      await this.orders.save(tx, order, meta);
      return order.snapshot();
    });
  }
}
