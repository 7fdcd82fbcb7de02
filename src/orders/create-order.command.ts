import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { OrderState } from './order.aggregate';

export class CreateOrderCommand extends Command<OrderState> {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly total: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}
