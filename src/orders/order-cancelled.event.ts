export class OrderCancelled {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId?: string,
  ) {}
}
