export class OrderPutOnHold {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly reason: string,
    readonly violationId?: string,
    readonly couponId?: string,
  ) {}
}
