import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsBoundedInt } from '../http/validation';
import { DomainError } from '../shared/domain-error';
import { InvariantSettings, INVARIANT_NAMES } from './invariant-settings';
import { COUPON_USAGE_EVENTS } from './coupon-usage.saga';
import { CREDIT_LIMIT_EVENTS } from './credit-limit.saga';
import { ViolationQueries } from './violation-queries';
import { ViolationView } from './violation.view';

export class ViolationQueryDto {
  @IsOptional()
  @IsString()
  @Length(1, 100)
  invariant?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  key?: string;

  @IsOptional()
  @IsIn(['open', 'resolved'], { message: 'status must be open or resolved' })
  status?: 'open' | 'resolved';

  @Type(() => Number)
  @IsBoundedInt(1, 1000, 'At most this many, newest first (default 100)', true)
  limit?: number;
}

const KEYS: Record<string, string> = { 'credit-limit': 'customerId', 'coupon-usage': 'couponId' };
const EVENTS: Record<string, string[]> = { 'credit-limit': CREDIT_LIMIT_EVENTS, 'coupon-usage': COUPON_USAGE_EVENTS };

@ApiTags('violations')
@Controller()
export class ViolationsController {
  constructor(
    private readonly violations: ViolationQueries,
    private readonly settings: InvariantSettings,
  ) {}

  @Get('violations')
  list(@Query() query: ViolationQueryDto): Promise<ViolationView[]> {
    return this.violations.list({ ...query, limit: query.limit ?? 100 });
  }

  @Get('violations/:id')
  async get(@Param('id', new ParseUUIDPipe({ exceptionFactory: () => new DomainError('NOT_FOUND', 'no such violation') })) id: string) {
    const violation = await this.violations.get(id);
    if (!violation) throw new DomainError('NOT_FOUND', `violation ${id} does not exist`);
    return violation;
  }

  @Get('invariants')
  async invariants() {
    const open = await this.violations.openCounts();
    return INVARIANT_NAMES.map((name) => {
      const { strategy, reactions, tolerance } = this.settings.of(name);
      return {
        name,
        key: KEYS[name],
        strategy,
        reactions,
        // A coupon's tolerance is its own allowedOverbooking: there is no single figure.
        tolerance: name === 'coupon-usage' ? null : tolerance,
        events: EVENTS[name],
        openViolations: open[name] ?? 0,
      };
    });
  }
}
