import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SideRead } from '../../aggregates/aggregate-repository';
import { CouponCheck } from '../../orders/coupon-check';
import { CouponSnapshot } from '../../orders/credit-snapshot';
import { notFound } from '../../shared/domain-error';
import { wouldExceed } from '../define-invariant';
import { InvariantSettings } from '../invariant-settings';
import { lockStatementsIfPrevent } from '../serialize-on-key';
import { couponUsage } from './coupon-usage.invariant';
import { couponFiguresSql } from './coupon-usage.reads';
import { couponRule } from './coupon-usage.rule';

/** The apply-coupon command's last-moment check (see CreditLimitCheck); strict: the overbooking is the saga's. */
@Injectable()
export class CouponUsageCheck extends CouponCheck {
  constructor(private readonly settings: InvariantSettings) {
    super();
  }

  alongside(tx: EntityManager, couponId: string): SideRead<CouponSnapshot> {
    return {
      before: lockStatementsIfPrevent(tx, this.settings, couponUsage.name, couponId),
      sql: (param) => couponFiguresSql(param(couponId)),
      parse: (row) => {
        if (!row) throw notFound('coupon', couponId);
        const figures = { maxUses: Number(row.max_uses), allowedOverbooking: 0, uses: Number(row.uses) };
        return {
          couponId,
          discount: Number(row.coupon_amount),
          maxUses: figures.maxUses,
          uses: figures.uses,
          exceeds: (added) => wouldExceed(couponRule, figures, added),
        };
      },
    };
  }
}
