export class CouponCreated {
  constructor(
    readonly couponId: string,
    readonly code: string,
    readonly maxUses: number,
    readonly discount: number,
    readonly allowedOverbooking: number,
  ) {}
}

export class CouponLimitChanged {
  constructor(
    readonly couponId: string,
    readonly previousMaxUses: number,
    readonly maxUses: number,
  ) {}
}
