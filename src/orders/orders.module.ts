import { Module, OnModuleInit } from '@nestjs/common';
import { CommandRegistry } from '../sagas/command-registry';
import { HoldOrderCommand } from './hold-order.command';
import { RevokeCouponCommand } from './revoke-coupon.command';
import { CouponsModule } from '../coupons/coupons.module';
import { CustomersModule } from '../customers/customers.module';
import { ApplyCouponHandler } from './apply-coupon.handler';
import { CancelOrderHandler } from './cancel-order.handler';
import { ChangeOrderTotalHandler } from './change-order-total.handler';
import { CompleteOrderHandler } from './complete-order.handler';
import { CouponCheck } from './coupon-check';
import { CreateOrderHandler } from './create-order.handler';
import { CreditCheck } from './credit-check';
import { GetOrderHandler } from './get-order.handler';
import { HoldOrderHandler } from './hold-order.handler';
import { OrderRepository } from './order.repository';
import { OrdersController } from './orders.controller';
import { ReleaseOrderHandler } from './release-order.handler';
import { RevokeCouponHandler } from './revoke-coupon.handler';

@Module({
  imports: [CustomersModule, CouponsModule],
  controllers: [OrdersController],
  providers: [
    OrderRepository,
    CreditCheck,
    CouponCheck,
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
