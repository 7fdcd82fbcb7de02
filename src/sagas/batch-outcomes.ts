import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BackstopMetrics } from '../telemetry/backstop-metrics';
import { parkedKeys } from './parked-keys';
import { BatchResult } from './partition-processor';
import { RegisteredSaga } from './saga-registry';
import { LeaseFence, sagaStore } from './saga-store';

/** What the runtime records of a batch's outcome: failures and parked keys, metrics and log lines. */
@Injectable()
export class BatchOutcomes {
  private readonly logger = new Logger('SagaRuntime');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: BackstopMetrics,
  ) {}

  /** Counts a failure of the event under the partition's lease; after maxFailures parks its key and answers true. */
  async failed(
    saga: RegisteredSaga,
    partition: number,
    result: Extract<BatchResult, { kind: 'failed' }>,
    fence: LeaseFence,
    maxFailures: number,
  ): Promise<boolean> {
    const where = `${saga.name}/${partition} at position ${result.position}`;
    // One transaction: the fenced failure count holds the partition's row, so no other instance can
    // take the lease, pass the event and then see its key parked late.
    const outcome = await this.dataSource.transaction(async (tx) => {
      const row = await sagaStore.recordFailure(tx, saga.name, partition, result.position, result.error, fence);
      // No row: this instance lost the partition's lease; its new owner meets the event itself.
      if (!row) return 'lost' as const;
      if (row.failures < maxFailures || result.key === undefined) return row.failures;
      await parkedKeys.park(tx, saga.name, partition, result.key, result.event, result.error, row.failures);
      return 'parked' as const;
    });
    if (outcome === 'lost') return false;
    if (outcome !== 'parked') {
      this.logger.warn(`partition ${where} failed (${outcome}/${maxFailures}): ${result.error}`);
      return false;
    }
    this.logger.error(
      `key ${result.key} of ${where} PARKED after ${maxFailures} ` +
        `failures (the partition goes on without it): ${result.error}`,
    );
    return true;
  }

  /** Metrics and log lines for what a committed batch did. */
  progressed(saga: string, result: Extract<BatchResult, { kind: 'progress' }>): void {
    this.metrics.sagaEventsProcessed.inc({ saga }, result.events);
    for (const { invariant, violationId, latencySeconds, correlationId } of result.opened) {
      this.metrics.violationsOpened.inc({ invariant });
      this.metrics.detectionLatency.observe({ invariant }, latencySeconds);
      this.logger.log(
        `violation ${violationId} of ${invariant} opened, ${Math.round(latencySeconds * 1000)} ms after its cause`,
        {
          saga,
          violationId,
          invariant,
          correlationId,
        },
      );
    }
    for (const { invariant, violationId, correlationId } of result.resolved) {
      this.metrics.violationsResolved.inc({ invariant });
      this.logger.log(`violation ${violationId} of ${invariant} resolved`, {
        saga,
        violationId,
        invariant,
        correlationId,
      });
    }
  }
}
