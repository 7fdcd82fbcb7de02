import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { OrderState } from './order.aggregate';

export class HoldOrderCommand extends Command<OrderState> {
  constructor(
    readonly orderId: string,
    readonly reason: string,
    readonly violationId?: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}
