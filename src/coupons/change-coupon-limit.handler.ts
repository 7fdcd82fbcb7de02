import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../shared/command-runner';
import { ChangeCouponLimitCommand } from './change-coupon-limit.command';
import { CouponState } from './coupon.aggregate';
import { CouponRepository } from './coupon.repository';

@CommandHandler(ChangeCouponLimitCommand)
export class ChangeCouponLimitHandler implements ICommandHandler<ChangeCouponLimitCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly coupons: CouponRepository,
  ) {}

  execute(command: ChangeCouponLimitCommand): Promise<CouponState> {
    const { couponId, maxUses, meta } = command;
    return this.runner.run(command, (tx) =>
      this.coupons.change(tx, couponId, meta, (coupon) => coupon.changeLimit(maxUses)),
    );
  }
}
