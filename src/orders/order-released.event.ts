export class OrderReleased {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId?: string,
  ) {}
}
