import { Query } from '@nestjs/cqrs';
import { OrderStatus } from './order.aggregate';

export interface OrderView {
  id: string;
  customerId: string;
  total: number;
  discount: number;
  couponId: string | null;
  status: OrderStatus;
  version: number;
}

export class GetOrderQuery extends Query<OrderView> {
  constructor(readonly orderId: string) {
    super();
  }
}
