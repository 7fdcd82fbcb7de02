import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { CouponState } from './coupon.aggregate';

export class ChangeCouponLimitCommand extends Command<CouponState> {
  constructor(
    readonly couponId: string,
    readonly maxUses: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}
