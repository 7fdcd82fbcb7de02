export class CustomerCreditLimitChanged {
  constructor(
    readonly customerId: string,
    readonly previousLimit: number,
    readonly newLimit: number,
  ) {}
}
