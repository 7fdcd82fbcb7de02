export class CouponRevoked {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId: string,
    readonly discount: number,
    readonly reason: string,
    readonly violationId?: string,
  ) {}
}
