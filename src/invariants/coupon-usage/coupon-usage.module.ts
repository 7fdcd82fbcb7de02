import { Global, Module } from '@nestjs/common';
import { CouponsModule } from '../../coupons/coupons.module';
import { CouponCheck } from '../../orders/coupon-check';
import { invariantProvider } from '../invariant-registry';
import { CouponUsageCheck } from './coupon-usage.check';
import { couponUsage } from './coupon-usage.invariant';

/** The built-in coupon-usage invariant: its declaration and the apply-coupon command's last-moment check. */
@Global()
@Module({
  imports: [CouponsModule],
  providers: [invariantProvider(couponUsage), { provide: CouponCheck, useClass: CouponUsageCheck }],
  exports: [CouponCheck],
})
export class CouponUsageModule {}
