import { Module, OnModuleInit } from '@nestjs/common';
import { CommandRegistry } from '../commands/command-registry';
import { HoldOrderCommand, HoldOrderHandler } from './hold-order';
import { RevokeCouponCommand, RevokeCouponHandler } from './revoke-coupon';
import { ApplyCouponHandler } from './apply-coupon';
import { CancelOrderHandler } from './cancel-order';
import { ChangeOrderTotalHandler } from './change-order-total';
import { CompleteOrderHandler } from './complete-order';
import { CreateOrderHandler } from './create-order';
import { GetOrderHandler } from './get-order';
import { OrderRepository } from './order.repository';
import { OrdersController } from './orders.controller';
import { ReleaseOrderHandler } from './release-order';

@Module({
  controllers: [OrdersController],
  providers: [
    OrderRepository,
    CreateOrderHandler,
    ChangeOrderTotalHandler,
    CancelOrderHandler,
    CompleteOrderHandler,
    ApplyCouponHandler,
    HoldOrderHandler,
    ReleaseOrderHandler,
    RevokeCouponHandler,
    GetOrderHandler,
  ],
  exports: [OrderRepository],
})
export class OrdersModule implements OnModuleInit {
  constructor(private readonly commands: CommandRegistry) {}

  /** The compensations sagas may issue. */
  onModuleInit(): void {
    this.commands.register('HoldOrder', (p, meta) => new HoldOrderCommand(p.orderId, p.reason, p.violationId, meta));
    this.commands.register(
      'RevokeCoupon',
      (p, meta) => new RevokeCouponCommand(p.orderId, p.reason, p.violationId, meta),
    );
  }
}
