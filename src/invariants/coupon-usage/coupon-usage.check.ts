import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CouponRepository } from '../../coupons/coupon.repository';
import { CouponCheck } from '../../orders/coupon-check';
import { CouponSnapshot } from '../../orders/credit-snapshot';
import { wouldExceed } from '../define-invariant';
import { InvariantSettings } from '../invariant-settings';
import { lockIfPrevent } from '../serialize-on-key';
import { couponUsage } from './coupon-usage.invariant';
import { usesOf } from './coupon-usage.reads';
import { couponRule } from './coupon-usage.rule';

/** The apply-coupon command's last-moment check (see CreditLimitCheck); strict: the overbooking is the saga's. */
@Injectable()
export class CouponUsageCheck extends CouponCheck {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly settings: InvariantSettings,
  ) {
    super();
  }

  async read(tx: EntityManager, couponId: string): Promise<CouponSnapshot> {
    await lockIfPrevent(tx, this.settings, couponUsage.name, couponId);
    const coupon = (await this.coupons.get(tx, couponId)).snapshot();
    const figures = { maxUses: coupon.maxUses, allowedOverbooking: 0, uses: await usesOf(tx, couponId) };
    return {
      couponId,
      discount: coupon.discount,
      maxUses: figures.maxUses,
      uses: figures.uses,
      exceeds: (added) => wouldExceed(couponRule, figures, added),
    };
  }
}
