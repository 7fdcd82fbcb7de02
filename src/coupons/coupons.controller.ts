import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { RequestMeta } from '../http/request-meta';
import { PathIdPipe } from '../http/validation';
import type { CommandMeta } from '../commands/command-meta';
import { ChangeCouponLimitCommand } from './change-coupon-limit';
import { ChangeCouponLimitDto, CreateCouponDto } from './coupon.dto';
import { CreateCouponCommand } from './create-coupon';
import { CouponView } from './coupon.view';
import { GetCouponQuery } from './get-coupon';

@ApiTags('coupons')
@Controller('coupons')
export class CouponsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateCouponDto, @RequestMeta() meta: CommandMeta): Promise<CouponView> {
    const { id } = await this.commands.execute(
      new CreateCouponCommand(
        body.id ?? randomUUID(),
        body.code,
        body.maxUses,
        body.discount,
        body.allowedOverbooking ?? 0,
        meta,
      ),
    );
    return this.queries.execute(new GetCouponQuery(id));
  }

  @Get(':id')
  get(@Param('id', PathIdPipe) id: string): Promise<CouponView> {
    return this.queries.execute(new GetCouponQuery(id));
  }

  @Put(':id/max-uses')
  async changeLimit(
    @Param('id', PathIdPipe) id: string,
    @Body() body: ChangeCouponLimitDto,
    @RequestMeta() meta: CommandMeta,
  ): Promise<CouponView> {
    await this.commands.execute(new ChangeCouponLimitCommand(id, body.maxUses, meta));
    return this.queries.execute(new GetCouponQuery(id));
  }
}
