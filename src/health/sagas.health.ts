import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { MetricsCollector } from '../metrics/metrics-collector';
import { SagaRuntime } from '../sagas/saga-runtime.service';
import { parkedKeys } from '../sagas/parked-keys';
import { sagaStore } from '../sagas/saga-store';

/**
 * Down when this instance's runtime is not running or any saga partition has
 * stopped; reports each saga's lag, the outbox depth, the parked keys and the
 * read horizon either way. Parked keys are "up, degraded": every other key
 * is processed, and restarting would not help; an operator has to retry or
 * skip them (the README says how). An old transaction holding the horizon is a warning, not
 * "down": Backstop itself is fine and restarting it would not help; the
 * operator has to end that session (the README says how).
 */
@Injectable()
export class SagasHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly runtime: SagaRuntime,
    private readonly collector: MetricsCollector,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(BACKSTOP_OPTIONS) private readonly options: BackstopOptions,
  ) {}

  async check() {
    const indicator = this.health.check('sagas');
    const partitions = await sagaStore.partitions(this.dataSource.manager).catch(() => undefined);
    if (!partitions) return indicator.down({ runtime: this.runtime.state, message: 'saga status unreadable' });
    const stopped = partitions
      .filter((p) => p.status === 'stopped')
      .map((p) => ({ saga: p.saga, partition: p.partition, failedPosition: p.failedPosition, lastError: p.lastError }));
    const [lag, outbox, horizon, parked] = await Promise.all([
      this.collector.sagaLag(),
      this.collector.outboxDepth(),
      this.collector.readHorizon(),
      parkedKeys.list(this.dataSource.manager),
    ]).catch(() => [undefined, undefined, undefined, undefined]);
    const warnAfter = this.options.runtime?.readHorizonWarnSeconds ?? 60;
    const details = {
      runtime: this.runtime.state,
      partitions: partitions.length,
      stopped,
      parked: parked?.map((k) => ({
        saga: k.saga,
        key: k.key,
        partition: k.partition,
        headPosition: k.head.position,
        error: k.error,
        failures: k.failures,
        parkedAt: k.parkedAt,
      })),
      ...(parked?.length
        ? {
            degraded:
              `${parked.length} parked key(s) wait for an operator's retry or skip; ` + 'every other key is processed',
          }
        : {}),
      lag:
        lag &&
        Object.fromEntries(lag.map((l) => [l.saga, { events: l.events, seconds: Math.round(l.seconds * 10) / 10 }])),
      outbox,
      readHorizon: horizon && {
        ...horizon,
        ...(horizon.ageSeconds > warnAfter
          ? { warning: `a transaction open for ${horizon.ageSeconds} s (over ${warnAfter} s) holds every saga back` }
          : {}),
      },
    };
    return this.runtime.state !== 'not running' && stopped.length === 0
      ? indicator.up(details)
      : indicator.down(details);
  }
}
