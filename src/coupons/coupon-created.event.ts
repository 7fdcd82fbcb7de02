export class CouponCreated {
  constructor(
    readonly couponId: string,
    readonly code: string,
    readonly maxUses: number,
    readonly discount: number,
    readonly allowedOverbooking: number,
  ) {}
}
