import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource, EntityManager } from 'typeorm';
import { Checkpoint } from '../event-log/event-log.types';
import { PARTITION_SQL } from '../event-log/partition';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { isTransientDatabaseError } from '../shared/transient-error';
import { DEFAULT_SAGA_LEASE_MS, PartitionLeases } from './partition-leases';
import { partitionCounts } from './partition-count';
import { PartitionProcessor } from './partition-processor';
import {
  currentHorizon,
  isAfter,
  refuseWhileInstancesRun,
  RepartitionRefusedError,
  RepartitionUsageError,
  sameCheckpoint,
} from './repartition-checks';
import { RegisteredSaga, SagaRegistry } from './saga-registry';
import { PartitionRow, sagaStore } from './saga-store';

export interface RepartitionReport {
  saga: string;
  /** The stored count before; null when the saga never ran here. */
  from: number | null;
  to: number;
  changed: boolean;
  /** Where every new partition starts. */
  horizon: Checkpoint;
  /** Events the old partitions still had to fold in before the move. */
  caughtUp: number;
}

const BATCH = 500;
const ATTEMPTS = 5;

/**
 * Changes a saga's partition count without skipping or repeating an event:
 * with every worker stopped, each old partition is processed up to one
 * common horizon H, then in one transaction the old rows are replaced by
 * the new count, all at H, and the new count is stored. saga_states is
 * keyed by (saga, key), so every key's state is then exactly its events up
 * to H, whichever partition it lands on.
 */
@Injectable()
export class SagaRepartitioner {
  constructor(
    @Inject(BACKSTOP_OPTIONS) private readonly options: BackstopOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SagaRegistry,
    private readonly processor: PartitionProcessor,
  ) {}

  async repartition(
    name: string,
    partitions: number,
    log: (line: string) => void = () => undefined,
  ): Promise<RepartitionReport> {
    const saga = this.registry.get(name);
    if (!saga)
      throw new RepartitionUsageError(
        `There is no saga named ${name}; the sagas are: ${this.registry
          .all()
          .map((s) => s.name)
          .join(', ')}`,
      );
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
      throw new RepartitionUsageError(`The partition count must be an integer from 1 to 1024 (got ${partitions})`);
    }
    const db = this.dataSource.manager;
    await refuseWhileInstancesRun(db);
    const rows = await sagaStore.partitions(db, name);
    const from = (await partitionCounts.stored(db, name)) ?? (rows.length || null);
    const horizon = await currentHorizon(db);
    const report = { saga: name, from, to: partitions, horizon, caughtUp: 0 };
    if (from === partitions) return { ...report, changed: false };
    if (from === null) {
      // Never ran here: no checkpoint or state to carry over; the first start makes the rows.
      await partitionCounts.store(db, name, partitions);
      return { ...report, changed: true };
    }
    assertMovable(name, rows, from, horizon);
    log(
      `${name}: taking the ${from} old partitions up to transaction ` +
        `${horizon.transactionId}, position ${horizon.position}`,
    );
    const old = { ...saga, partitions: from };
    const reached = new Map<number, Checkpoint>();
    // Batches commit only under a lease (see PartitionLeases): the command holds each old partition's while it drains
    // it.
    const leases = new PartitionLeases(
      this.options.databaseUrl,
      `repartition:${hostname()}:${process.pid}`,
      this.options.runtime?.leaseMs ?? DEFAULT_SAGA_LEASE_MS,
      () => undefined,
    );
    try {
      for (let partition = 0; partition < from; partition++) {
        if (!(await leases.tryAcquire(name, partition, from))) {
          throw new RepartitionRefusedError(
            `${name}/${partition} is held by a running instance: stop every instance first; nothing was changed`,
          );
        }
        report.caughtUp += await this.drain(old, partition, horizon, leases);
        reached.set(partition, (await sagaStore.partition(db, name, partition)).checkpoint);
      }
    } finally {
      await leases.releaseAll();
    }
    await this.dataSource.transaction((tx) => this.replace(tx, name, from, partitions, horizon, reached));
    return { ...report, changed: true };
  }

  /** Processes one old partition up to the horizon; answers how many of its events that took. */
  private async drain(
    saga: RegisteredSaga,
    partition: number,
    horizon: Checkpoint,
    leases: PartitionLeases,
  ): Promise<number> {
    let events = 0;
    let failures = 0;
    for (;;) {
      let result;
      try {
        await leases.renew(saga.name);
        result = await this.processor.run(saga, partition, BATCH, leases.fence(saga.name, partition), horizon);
      } catch (error) {
        if (!isTransientDatabaseError(error) || ++failures >= ATTEMPTS) throw error;
        await pause(failures);
        continue;
      }
      if (result.kind === 'idle') return events;
      if (result.kind === 'progress') {
        events += result.events;
        failures = 0;
      } else if (result.kind === 'failed') {
        if (++failures >= ATTEMPTS) {
          throw new RepartitionRefusedError(
            `${saga.name}/${partition} cannot process the event at position ${result.position} (${result.error}). ` +
              `Nothing was changed; fix the cause, then run the command again.`,
          );
        }
        await pause(failures);
      } else {
        throw new RepartitionRefusedError(
          `${saga.name}/${partition} was ${result.kind === 'lost' ? 'moved on by another process' : 'stopped'} ` +
            `while the command ran: nothing was changed`,
        );
      }
    }
  }

  /** The switch itself: all or nothing, and only if no old partition moved since it was drained. */
  private async replace(
    tx: EntityManager,
    saga: string,
    from: number,
    to: number,
    horizon: Checkpoint,
    reached: Map<number, Checkpoint>,
  ) {
    const locked = await partitionCounts.stored(tx, saga, true);
    if (locked !== undefined && locked !== from)
      throw new RepartitionRefusedError(
        `${saga}: the stored count changed to ${locked} while the command ran: nothing was changed`,
      );
    await refuseWhileInstancesRun(tx);
    const [removed] = await tx.query(
      `DELETE FROM saga_partitions WHERE saga = $1 RETURNING partition, checkpoint_txid::text
        AS txid, checkpoint_position, status`,
      [saga],
    );
    const moved = (removed as Record<string, any>[]).filter((row) => {
      const at = reached.get(row.partition);
      return (
        !at ||
        row.status !== 'running' ||
        !sameCheckpoint(at, { transactionId: row.txid, position: Number(row.checkpoint_position) })
      );
    });
    if (moved.length || removed.length !== from) {
      throw new RepartitionRefusedError(
        `${saga}: partitions changed while the command ran ` +
          `(${moved.map((row) => row.partition).join(', ') || 'rows added or removed'}): nothing was changed`,
      );
    }
    await tx.query(
      `INSERT INTO saga_partitions (saga, partition, checkpoint_txid, checkpoint_position)
       SELECT $1, p, $3::xid8, $4 FROM generate_series(0, $2 - 1) AS p`,
      [saga, to, horizon.transactionId, horizon.position],
    );
    // A parked key's events wait for its retry on the partition it hashes onto: that moves too.
    await tx.query(
      `UPDATE saga_parked_keys
        SET partition = ${PARTITION_SQL.replace('$KEY', 'key').replace('$PARTITIONS', '$2::int')}, updated_at = now()
        WHERE saga = $1`,
      [saga, to],
    );
    await partitionCounts.store(tx, saga, to);
  }
}

/** The old rows must be the stored count's, all running, none past the horizon. */
function assertMovable(saga: string, rows: PartitionRow[], from: number, horizon: Checkpoint): void {
  const numbers = rows.map((row) => row.partition).join(',');
  const expected = Array.from({ length: from }, (_, i) => i).join(',');
  if (numbers !== expected) {
    throw new RepartitionRefusedError(
      `${saga}: the stored count is ${from} but the partition rows are [${numbers}]; nothing was changed`,
    );
  }
  const stopped = rows.filter((row) => row.status === 'stopped');
  if (stopped.length) {
    const which = stopped
      .map((row) => `${saga}/${row.partition} at position ${row.failedPosition}: ${row.lastError}`)
      .join('; ');
    throw new RepartitionRefusedError(
      `Stopped partitions cannot be moved without skipping their events: ${which}. ` +
        `Fix the cause, resume them (POST /sagas/${saga}/partitions/<partition>/resume) ` +
        `and let them catch up, then run the command again.`,
    );
  }
  const ahead = rows.filter((row) => isAfter(row.checkpoint, horizon));
  if (ahead.length)
    throw new RepartitionRefusedError(
      `${saga}: partitions ${ahead.map((row) => row.partition).join(', ')} ` +
        `are past the read horizon; nothing was changed`,
    );
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
