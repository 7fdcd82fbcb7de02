import { InvariantRule } from '../define-invariant';

/** What the coupon rule reads: its maximum, its own allowed overbooking and the orders holding it. */
export interface CouponFigures {
  maxUses: number;
  allowedOverbooking: number;
  uses: number;
}

/** Breached when uses > maxUses + the coupon's allowedOverbooking (the configured tolerance does not apply). */
export const couponRule: InvariantRule<CouponFigures> = {
  actual: (figures) => figures.uses,
  limit: (figures) => figures.maxUses,
  slack: (figures) => figures.allowedOverbooking,
};
