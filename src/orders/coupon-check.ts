import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CouponRepository } from '../coupons/coupon.repository';
import { InvariantSettings } from '../invariants/invariant-settings';
import { serializeOnKey } from '../invariants/serialize-on-key';
import { CouponSnapshot } from './credit-snapshot';
import { usesOf } from './order-reads';

/** Reads what the coupon rule needs at the last moment; see CreditCheck. */
@Injectable()
export class CouponCheck {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly settings: InvariantSettings,
  ) {}

  async read(tx: EntityManager, couponId: string): Promise<CouponSnapshot> {
    if (this.settings.strategy('coupon-usage') === 'prevent') await serializeOnKey(tx, 'coupon-usage', couponId);
    const coupon = (await this.coupons.get(tx, couponId)).snapshot();
    return { couponId, discount: coupon.discount, maxUses: coupon.maxUses, uses: await usesOf(tx, couponId) };
  }
}
