import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CouponCheck } from '../../orders/coupon-check';
import { CouponSnapshot } from '../../orders/credit-snapshot';
import { notFound } from '../../shared/domain-error';
import { wouldExceed } from '../define-invariant';
import { InvariantSettings } from '../invariant-settings';
import { lockIfPrevent } from '../serialize-on-key';
import { couponUsage } from './coupon-usage.invariant';
import { couponFiguresOf } from './coupon-usage.reads';
import { couponRule } from './coupon-usage.rule';

/** The apply-coupon command's last-moment check (see CreditLimitCheck); strict: the overbooking is the saga's. */
@Injectable()
export class CouponUsageCheck extends CouponCheck {
  constructor(private readonly settings: InvariantSettings) {
    super();
  }

  async read(tx: EntityManager, couponId: string): Promise<CouponSnapshot> {
    await lockIfPrevent(tx, this.settings, couponUsage.name, couponId);
    const coupon = await couponFiguresOf(tx, couponId);
    if (!coupon) throw notFound('coupon', couponId);
    const figures = { maxUses: coupon.maxUses, allowedOverbooking: 0, uses: coupon.uses };
    return {
      couponId,
      discount: coupon.discount,
      maxUses: figures.maxUses,
      uses: figures.uses,
      exceeds: (added) => wouldExceed(couponRule, figures, added),
    };
  }
}
