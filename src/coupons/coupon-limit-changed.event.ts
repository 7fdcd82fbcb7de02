export class CouponLimitChanged {
  constructor(
    readonly couponId: string,
    readonly previousMaxUses: number,
    readonly maxUses: number,
  ) {}
}
