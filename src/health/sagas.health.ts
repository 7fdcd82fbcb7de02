import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SagaRuntime } from '../sagas/saga-runtime.service';
import { sagaStore } from '../sagas/saga-store';

/** Down when this instance's runtime is not running or any saga partition has stopped. */
@Injectable()
export class SagasHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly runtime: SagaRuntime,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async check() {
    const indicator = this.health.check('sagas');
    const partitions = await sagaStore.partitions(this.dataSource.manager).catch(() => undefined);
    if (!partitions) return indicator.down({ runtime: this.runtime.isRunning ? 'running' : 'not running', message: 'saga status unreadable' });
    const stopped = partitions
      .filter((p) => p.status === 'stopped')
      .map((p) => ({ saga: p.saga, partition: p.partition, failedPosition: p.failedPosition, lastError: p.lastError }));
    const details = { runtime: this.runtime.isRunning ? 'running' : 'not running', partitions: partitions.length, stopped };
    return this.runtime.isRunning && stopped.length === 0 ? indicator.up(details) : indicator.down(details);
  }
}
