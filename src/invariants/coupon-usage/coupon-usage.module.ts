import { Global, Module } from '@nestjs/common';
import { CouponsModule } from '../../coupons/coupons.module';
import { CouponUses } from '../../coupons/coupon-uses';
import { CouponCheck } from '../../orders/coupon-check';
import { invariantProvider } from '../invariant-registry';
import { CouponUsageCheck } from './coupon-usage.check';
import { couponUsage } from './coupon-usage.invariant';
import { CouponUsageUses } from './coupon-usage.reads';

/**
 * The built-in coupon-usage invariant: its declaration, the apply-coupon command's last-moment check and the coupon
 * view's uses (the domain's ports).
 */
@Global()
@Module({
  imports: [CouponsModule],
  providers: [
    invariantProvider(couponUsage),
    { provide: CouponCheck, useClass: CouponUsageCheck },
    { provide: CouponUses, useClass: CouponUsageUses },
  ],
  exports: [CouponCheck, CouponUses],
})
export class CouponUsageModule {}
