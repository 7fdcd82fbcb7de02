export class OrderCompleted {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly couponId?: string,
  ) {}
}
