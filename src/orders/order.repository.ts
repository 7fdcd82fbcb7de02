import { Injectable } from '@nestjs/common';
import { EventLogService } from '../event-log/event-log.service';
import { AggregateRepository } from '../aggregates/aggregate-repository';
import { Order, OrderState } from './order.aggregate';

@Injectable()
export class OrderRepository extends AggregateRepository<Order, OrderState> {
  protected readonly streamType = 'Order';
  protected readonly table = 'orders';
  protected readonly columns = {
    id: 'id',
    customerId: 'customer_id',
    total: 'total',
    discount: 'discount',
    couponId: 'coupon_id',
    couponDiscount: 'coupon_discount',
    status: 'status',
    version: 'version',
  };
  protected readonly amounts = ['total', 'discount', 'couponDiscount'] as const;

  constructor(eventLog: EventLogService) {
    super(eventLog);
  }

  protected rehydrate(state: OrderState): Order {
    return Order.rehydrate(state);
  }
}
