import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { OrderState } from './order.aggregate';

export class ApplyCouponCommand extends Command<OrderState> {
  constructor(
    readonly orderId: string,
    readonly couponId: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}
