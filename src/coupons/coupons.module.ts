import { Module } from '@nestjs/common';
import { ChangeCouponLimitHandler } from './change-coupon-limit';
import { CouponRepository } from './coupon.repository';
import { CouponsController } from './coupons.controller';
import { CreateCouponHandler } from './create-coupon';
import { GetCouponHandler } from './get-coupon';

@Module({
  controllers: [CouponsController],
  providers: [CouponRepository, CreateCouponHandler, ChangeCouponLimitHandler, GetCouponHandler],
  exports: [CouponRepository],
})
export class CouponsModule {}
