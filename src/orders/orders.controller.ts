import { AdminOnly } from '../http/admin.guard';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { RequestMeta } from '../http/request-meta';
import { PathIdPipe } from '../http/validation';
import type { CommandMeta } from '../commands/command-meta';
import { ApplyCouponCommand } from './apply-coupon';
import { CancelOrderCommand } from './cancel-order';
import { ChangeOrderTotalCommand } from './change-order-total';
import { CompleteOrderCommand } from './complete-order';
import { CreateOrderCommand } from './create-order';
import { GetOrderQuery, toOrderView } from './get-order';
import { OrderView } from './order.view';
import { ApplyCouponDto, ChangeOrderTotalDto, CreateOrderDto, EmptyDto } from './order.dto';
import { ReleaseOrderCommand } from './release-order';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateOrderDto, @RequestMeta() meta: CommandMeta): Promise<OrderView> {
    const id = body.id ?? randomUUID();
    return toOrderView(await this.commands.execute(new CreateOrderCommand(id, body.customerId, body.total, meta)));
  }

  @Get(':id')
  get(@Param('id', PathIdPipe) id: string): Promise<OrderView> {
    return this.queries.execute(new GetOrderQuery(id));
  }

  @Put(':id/total')
  async changeTotal(
    @Param('id', PathIdPipe) id: string,
    @Body() body: ChangeOrderTotalDto,
    @RequestMeta() meta: CommandMeta,
  ): Promise<OrderView> {
    return toOrderView(await this.commands.execute(new ChangeOrderTotalCommand(id, body.total, meta)));
  }

  @Post(':id/coupon')
  @HttpCode(200)
  async applyCoupon(
    @Param('id', PathIdPipe) id: string,
    @Body() body: ApplyCouponDto,
    @RequestMeta() meta: CommandMeta,
  ): Promise<OrderView> {
    return toOrderView(await this.commands.execute(new ApplyCouponCommand(id, body.couponId, meta)));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(
    @Param('id', PathIdPipe) id: string,
    @Body() _: EmptyDto,
    @RequestMeta() meta: CommandMeta,
  ): Promise<OrderView> {
    return toOrderView(await this.commands.execute(new CancelOrderCommand(id, meta)));
  }

  @Post(':id/complete')
  @HttpCode(200)
  async complete(
    @Param('id', PathIdPipe) id: string,
    @Body() _: EmptyDto,
    @RequestMeta() meta: CommandMeta,
  ): Promise<OrderView> {
    return toOrderView(await this.commands.execute(new CompleteOrderCommand(id, meta)));
  }

  /** Releasing a held order is a human decision; it is refused while it would exceed the limit. */
  @AdminOnly()
  @Post(':id/release')
  @HttpCode(200)
  async release(
    @Param('id', PathIdPipe) id: string,
    @Body() _: EmptyDto,
    @RequestMeta() meta: CommandMeta,
  ): Promise<OrderView> {
    return toOrderView(await this.commands.execute(new ReleaseOrderCommand(id, meta)));
  }
}
