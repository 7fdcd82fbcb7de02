import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta } from '../commands/command-meta';
import { CommandRunner } from '../commands/command-runner';
import { Coupon, CouponState } from './coupon.aggregate';
import { CouponRepository } from './coupon.repository';

export class CreateCouponCommand extends Command<CouponState> {
  /** The stable name in logs and metrics (`backstop_commands_total{command}`), never the class name. */
  static readonly type = 'CreateCoupon';

  constructor(
    readonly couponId: string,
    readonly code: string,
    readonly maxUses: number,
    readonly discount: number,
    readonly allowedOverbooking: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(CreateCouponCommand)
export class CreateCouponHandler implements ICommandHandler<CreateCouponCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly coupons: CouponRepository,
  ) {}

  execute(command: CreateCouponCommand): Promise<CouponState> {
    const { couponId, code, maxUses, discount, allowedOverbooking, meta } = command;
    const request = { code, maxUses, discount, allowedOverbooking };
    return this.runner.runSingleWrite(command, (tx) =>
      this.coupons.create(tx, couponId, meta, request, () =>
        Coupon.create(couponId, code, maxUses, discount, allowedOverbooking),
      ),
    );
  }
}
