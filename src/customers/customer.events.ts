export class CustomerRegistered {
  constructor(
    readonly customerId: string,
    readonly name: string,
    readonly email: string,
    readonly creditLimit: number,
  ) {}
}

export class CustomerCreditLimitChanged {
  constructor(
    readonly customerId: string,
    readonly previousLimit: number,
    readonly newLimit: number,
  ) {}
}
