import { AdminOnly } from '../http/admin.guard';
import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsBoundedInt } from '../http/validation';
import { DomainError } from '../shared/domain-error';
import { ViolationQueries } from './violation-queries';
import { ViolationView } from './violation.view';

/** Validated like a body: unknown parameters, repeated ones and wrong values are 400. */
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

  // Plain decimal digits only: Number() would also take ' 5', '1e3' and '0x10'.
  @Transform(({ value }) => (typeof value === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : value))
  @IsBoundedInt(1, 1000, 'At most this many, newest first (default 100)', true)
  limit?: number;
}

@ApiTags('violations')
@Controller()
export class ViolationsController {
  constructor(private readonly violations: ViolationQueries) {}

  @AdminOnly()
  @Get('violations')
  list(@Query() query: ViolationQueryDto): Promise<ViolationView[]> {
    return this.violations.list({ ...query, limit: query.limit ?? 100 });
  }

  @AdminOnly()
  @Get('violations/:id')
  async get(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new DomainError('NOT_FOUND', 'no such violation') }))
    id: string,
  ) {
    const violation = await this.violations.get(id);
    if (!violation) throw new DomainError('NOT_FOUND', `violation ${id} does not exist`);
    return violation;
  }
}
