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

  execute({ couponId, maxUses, meta }: ChangeCouponLimitCommand): Promise<CouponState> {
    return this.runner.run((tx) => this.coupons.change(tx, couponId, meta, (coupon) => coupon.changeLimit(maxUses)), meta);
  }
}
