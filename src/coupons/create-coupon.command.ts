import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { CouponState } from './coupon.aggregate';

export class CreateCouponCommand extends Command<CouponState> {
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
