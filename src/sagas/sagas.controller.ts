import { AdminOnly } from '../http/admin.guard';
import { Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../shared/domain-error';
import { SagaRegistry } from './saga-registry';
import { PartitionRow, sagaStore } from './saga-store';

@ApiTags('operations')
@Controller('sagas')
export class SagasController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SagaRegistry,
  ) {}

  @AdminOnly()
  @Get()
  @ApiOperation({ summary: 'Every saga partition: checkpoint, owner, status, failures and the last error' })
  partitions(): Promise<PartitionRow[]> {
    return sagaStore.partitions(this.dataSource.manager);
  }

  @AdminOnly()
  @Post(':saga/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume every stopped partition of a saga (after fixing the cause)' })
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
