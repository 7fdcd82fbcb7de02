import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { OrderState } from './order.aggregate';

export class ChangeOrderTotalCommand extends Command<OrderState> {
  constructor(
    readonly orderId: string,
    readonly total: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}
