export class CouponApplied {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId: string,
    /** The coupon's amount, capped at the order's total. */
    readonly discount: number,
    /** The coupon's own amount, kept to re-cap the discount when the total changes. */
    readonly couponAmount: number,
  ) {}
}
