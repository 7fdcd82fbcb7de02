import { Command } from '@nestjs/cqrs';
import { CommandMeta } from '../shared/command-meta';
import { CustomerState } from './customer.aggregate';

export class RegisterCustomerCommand extends Command<CustomerState> {
  constructor(
    readonly customerId: string,
    readonly name: string,
    readonly email: string,
    readonly creditLimit: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}
