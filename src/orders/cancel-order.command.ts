import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { OrderState } from './order.aggregate';

export class CancelOrderCommand extends Command<OrderState> {
  constructor(
    readonly orderId: string,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}
