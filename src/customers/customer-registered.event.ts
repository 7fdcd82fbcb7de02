export class CustomerRegistered {
  constructor(
    readonly customerId: string,
    readonly name: string,
    readonly email: string,
    readonly creditLimit: number,
  ) {}
}
