import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReadHorizon, readHorizon } from '../database/read-horizon';
import { InvariantRegistry } from '../invariants/invariant-registry';
import { parkedKeys } from '../sagas/parked-keys';
import { SagaRegistry } from '../sagas/saga-registry';
import { BackstopMetrics } from '../telemetry/backstop-metrics';

export interface SagaLag {
  saga: string;
  events: number;
  seconds: number;
}

/** Reads the database-side figures (lag, outbox depth, open episodes) for /metrics, /health and the dashboard. */
@Injectable()
export class MetricsCollector {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SagaRegistry,
    private readonly metrics: BackstopMetrics,
    @Optional() private readonly invariants?: InvariantRegistry,
  ) {}

  /** Per saga: subscribed events after its slowest partition's checkpoint (counted up to 100,000). */
  async sagaLag(): Promise<SagaLag[]> {
    const lags: SagaLag[] = [];
    for (const saga of this.registry.all()) {
      const [row] = await this.dataSource.query(
        `WITH slowest AS (
           SELECT checkpoint_txid, checkpoint_position FROM saga_partitions WHERE saga = $1
            ORDER BY checkpoint_txid, checkpoint_position LIMIT 1),
         behind AS (
           SELECT e.recorded_at FROM event_log e, slowest s
            WHERE (e.transaction_id, e.position) > (s.checkpoint_txid, s.checkpoint_position)
              AND e.event_type = ANY($2::text[])
            LIMIT 100000)
         SELECT count(*)::int AS events, coalesce(extract(epoch FROM now() - min(recorded_at)), 0)::float
           AS seconds FROM behind`,
        [saga.name, saga.events],
      );
      lags.push({ saga: saga.name, events: row.events, seconds: row.seconds });
    }
    return lags;
  }

  /** Pending rows only, each count read from a partial index on the pending ones. */
  async outboxDepth(): Promise<{ commands: number; mails: number; failingMails: number }> {
    const [row] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM command_outbox WHERE status = 'pending')::int AS commands,
              (SELECT count(*) FROM mail_outbox WHERE status = 'pending')::int AS mails,
              (SELECT count(*) FROM mail_outbox WHERE status = 'pending' AND last_error IS NOT NULL)::int AS failing`,
    );
    return { commands: row.commands, mails: row.mails, failingMails: row.failing };
  }

  async readHorizon(): Promise<ReadHorizon> {
    const horizon = await readHorizon(this.dataSource.manager);
    this.metrics.readHorizonAge.set(horizon.ageSeconds);
    return horizon;
  }

  /** Fills the gauges, then renders every series in Prometheus text format. */
  async render(): Promise<string> {
    // Sent mails are counted by backstop_mails_total as they go: a count here would read the whole history.
    const [lags, , outbox, open, parked] = await Promise.all([
      this.sagaLag(),
      this.readHorizon(),
      this.outboxDepth(),
      this.dataSource.query(
        `SELECT invariant, count(*)::int AS n FROM violations WHERE status = 'open' GROUP BY invariant`,
      ),
      parkedKeys.counts(this.dataSource.manager),
    ]);
    for (const saga of this.registry.all())
      this.metrics.sagaParkedKeys.set({ saga: saga.name }, parked.get(saga.name) ?? 0);
    for (const lag of lags) {
      this.metrics.sagaLagEvents.set({ saga: lag.saga }, lag.events);
      this.metrics.sagaLagSeconds.set({ saga: lag.saga }, lag.seconds);
    }
    this.metrics.mailOutbox.set({ status: 'pending' }, outbox.mails);
    this.metrics.mailOutbox.set({ status: 'failing' }, outbox.failingMails);
    this.metrics.violationsOpen.reset();
    // Zero-filled per declared invariant, so a series exists before its first episode.
    for (const name of this.invariants?.names() ?? []) this.metrics.violationsOpen.set({ invariant: name }, 0);
    for (const row of open as { invariant: string; n: number }[])
      this.metrics.violationsOpen.set({ invariant: row.invariant }, row.n);
    return this.metrics.registry.metrics();
  }
}
