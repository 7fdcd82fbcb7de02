export class OrderTotalChanged {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly previousTotal: number,
    readonly newTotal: number,
    /** The discount after the change (a coupon's amount is capped at the total). */
    readonly discount: number,
    readonly couponId?: string,
  ) {}
}
