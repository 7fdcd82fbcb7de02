import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { PathIdPipe } from '../http/validation';
import { RequestMeta } from '../http/request-meta';
import type { CommandMeta } from '../commands/command-meta';
import { ChangeCreditLimitCommand } from './change-credit-limit';
import { ChangeCreditLimitDto, RegisterCustomerDto } from './customer.dto';
import { CustomerView } from './customer.view';
import { GetCustomerQuery } from './get-customer';
import { RegisterCustomerCommand } from './register-customer';

@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async register(@Body() body: RegisterCustomerDto, @RequestMeta() meta: CommandMeta): Promise<CustomerView> {
    const { id } = await this.commands.execute(
      new RegisterCustomerCommand(body.id ?? randomUUID(), body.name, body.email, body.creditLimit, meta),
    );
    return this.queries.execute(new GetCustomerQuery(id));
  }

  @Get(':id')
  get(@Param('id', PathIdPipe) id: string): Promise<CustomerView> {
    return this.queries.execute(new GetCustomerQuery(id));
  }

  @Put(':id/credit-limit')
  async changeCreditLimit(
    @Param('id', PathIdPipe) id: string,
    @Body() body: ChangeCreditLimitDto,
    @RequestMeta() meta: CommandMeta,
  ): Promise<CustomerView> {
    await this.commands.execute(new ChangeCreditLimitCommand(id, body.creditLimit, meta));
    return this.queries.execute(new GetCustomerQuery(id));
  }
}
