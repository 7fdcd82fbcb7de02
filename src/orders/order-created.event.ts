export class OrderCreated {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly total: number,
  ) {}
}
