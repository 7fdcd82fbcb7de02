export class OrderCreated {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly total: number,
  ) {}
}

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

export class OrderPutOnHold {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly reason: string,
    readonly violationId?: string,
    readonly couponId?: string,
  ) {}
}

export class OrderReleased {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId?: string,
  ) {}
}

export class OrderCompleted {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId?: string,
  ) {}
}

export class OrderCancelled {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId?: string,
  ) {}
}

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
