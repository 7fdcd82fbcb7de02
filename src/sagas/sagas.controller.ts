import { AdminOnly } from '../http/admin.guard';
import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IsLabel, PathIdPipe } from '../http/validation';
import { DomainError } from '../shared/domain-error';
import { ParkedKeyActions, ReplayOutcome } from './parked-key-actions';
import { ParkedKey, parkedKeys } from './parked-keys';
import { SagaRegistry } from './saga-registry';
import { PartitionRow, sagaStore } from './saga-store';

export class SkipEventDto {
  @IsLabel('Who gives the event up (recorded in the log)')
  by!: string;

  @IsLabel('Why the event is given up (recorded in the log)')
  reason!: string;
}

@ApiTags('operations')
@Controller('sagas')
export class SagasController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SagaRegistry,
    private readonly actions: ParkedKeyActions,
  ) {}

  @AdminOnly()
  @Get()
  @ApiOperation({
    summary: 'Every saga partition: checkpoint, owner, status, failures, the last error and its parked keys',
  })
  async partitions(): Promise<(PartitionRow & { parked: ParkedKey[] })[]> {
    const [partitions, parked] = await Promise.all([
      sagaStore.partitions(this.dataSource.manager),
      parkedKeys.list(this.dataSource.manager),
    ]);
    return partitions.map((p) => ({
      ...p,
      parked: parked.filter((k) => k.saga === p.saga && k.partition === p.partition),
    }));
  }

  @AdminOnly()
  @Get('parked')
  @ApiOperation({ summary: 'Every parked key: the event it waits behind (head), the error and how often it failed' })
  parked(): Promise<ParkedKey[]> {
    return parkedKeys.list(this.dataSource.manager);
  }

  @AdminOnly()
  @Post(':saga/keys/:key/retry')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Process a parked key\u2019s events again, in order (after fixing the cause); still parked if one fails again',
  })
  retry(@Param('saga') saga: string, @Param('key', PathIdPipe) key: string): Promise<ReplayOutcome> {
    return this.actions.retry(saga, key);
  }

  @AdminOnly()
  @Post(':saga/keys/:key/skip')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Give up a parked key\u2019s head event (a SagaEventSkipped event records who and why), then process the rest',
  })
  skip(
    @Param('saga') saga: string,
    @Param('key', PathIdPipe) key: string,
    @Body() body: SkipEventDto,
  ): Promise<ReplayOutcome> {
    return this.actions.skip(saga, key, body.by, body.reason);
  }

  @AdminOnly()
  @Post(':saga/resume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resume every stopped partition of a saga (stopped by an older version; failures now park keys)',
  })
  resumeAll(@Param('saga') saga: string) {
    return this.resume(saga);
  }

  @AdminOnly()
  @Post(':saga/partitions/:partition/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume one stopped partition' })
  resumeOne(@Param('saga') saga: string, @Param('partition', ParseIntPipe) partition: number) {
    return this.resume(saga, partition);
  }

  private async resume(saga: string, partition?: number): Promise<{ resumed: number }> {
    if (!this.registry.get(saga)) throw new DomainError('NOT_FOUND', `no saga named ${saga}`);
    return { resumed: await sagaStore.resume(this.dataSource.manager, saga, partition) };
  }
}
