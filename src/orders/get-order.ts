import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OrderState } from './order.aggregate';
import { OrderRepository } from './order.repository';
import { OrderView } from './order.view';

export class GetOrderQuery extends Query<OrderView> {
  constructor(readonly orderId: string) {
    super();
  }
}

export function toOrderView({ id, customerId, total, discount, couponId, status, version }: OrderState): OrderView {
  return { id, customerId, total, discount, couponId, status, version };
}

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrderRepository,
  ) {}

  async execute({ orderId }: GetOrderQuery): Promise<OrderView> {
    return toOrderView((await this.orders.get(this.dataSource.manager, orderId)).snapshot());
  }
}
