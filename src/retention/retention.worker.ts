import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { BackstopMetrics } from '../telemetry/backstop-metrics';
import { WakeSignal } from '../outbox/wake-signal';
import { isTransientDatabaseError } from '../shared/transient-error';
import { RETENTION_BATCHES, RetentionKind } from './retention-batches';
import { RetentionSettings, retentionSettings } from './retention-settings';

/**
 * Deletes finished work once it is older than its window, on the instances
 * that run the workers (started and stopped by the saga runtime). Each pass
 * works through every kind in small batches, each its own short statement
 * with a pause after it, so a backlog of months is worked off without a long
 * lock or a long transaction. Several instances may run passes at once:
 * each batch skips rows another one holds.
 */
@Injectable()
export class RetentionWorker {
  private readonly logger = new Logger('Retention');
  private readonly settings: RetentionSettings;
  private readonly signal = new WakeSignal();
  private running = false;
  private loop?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: BackstopMetrics,
    @Inject(BACKSTOP_OPTIONS) options: BackstopOptions,
  ) {
    this.settings = retentionSettings(options.retention);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal.wake();
    await this.loop;
  }

  private windowOf(kind: RetentionKind): number {
    const { commandIdsDays, outboxDays, mailDays, violationsDays } = this.settings;
    return { command_ids: commandIdsDays, outbox: outboxDays, mail: mailDays, violations: violationsDays }[kind];
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.pass();
      await this.signal.wait(this.settings.intervalMs);
    }
  }

  /** Violations first: they take their outbox rows along, which the outbox kinds would otherwise delete one by one. */
  private async pass(): Promise<void> {
    for (const kind of ['violations', 'command_ids', 'outbox', 'mail'] as RetentionKind[]) {
      let total = 0;
      while (this.running) {
        const count = await RETENTION_BATCHES[kind](
          this.dataSource,
          this.windowOf(kind),
          this.settings.batchSize,
        ).catch((error) => {
          const log = isTransientDatabaseError(error) ? 'warn' : 'error';
          this.logger[log](`cannot delete old ${kind}: ${String(error)}`);
          return 0;
        });
        total += count;
        if (count > 0) this.metrics.retentionDeleted.inc({ kind }, count);
        if (count < this.settings.batchSize) break;
        await this.signal.wait(this.settings.pauseMs);
      }
      if (total > 0)
        this.logger.log(`deleted ${total} ${kind} row(s) older than ${this.windowOf(kind)} days`, {
          kind,
          deleted: total,
        });
    }
  }
}
