import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLogService } from '../event-log/event-log.service';
import { Checkpoint, checkpointOf, RecordedEvent } from '../event-log/event-log.types';
import { isAfter } from '../event-log/subscription-read';
import { isTransientDatabaseError } from '../shared/transient-error';
import { BatchResult, describe, oneAtATime } from './batch-result';
import { BatchSizes } from './batch-sizes';
import { OutputWriter } from './output-writer';
import { parkedKeys } from './parked-keys';
import { foldEvents, keysOf, ownEvents, toSagaEvent } from './saga-fold';
import { RegisteredSaga } from './saga-registry';
import { LeaseFence, PartitionLostError, sagaStore } from './saga-store';
import { byPartition, PartitionedRead, SharedReads } from './shared-reads';
import { stateWrites } from './state-changes';
import { LoadedStates, stateStore } from './state-store';

const IDLE_ADVANCE_INTERVAL_MS = 1_000;

/** The wake-ups a partition's loop had seen before its batch (`seen`), and how many there are by now. */
export interface WakeStamp {
  seen: number;
  now: () => number;
}

export type { BatchResult } from './batch-result';
export { describe } from './batch-result';
export { toSagaEvent } from './saga-fold';

/**
 * Runs one batch of one saga partition: read the subscribed events after the
 * checkpoint, fold them through the saga, then write the new states, the
 * outputs and the advanced checkpoint in a single transaction.
 */
@Injectable()
export class PartitionProcessor {
  /**
   * The checkpoint of each partition this instance is working on, so an idle
   * partition costs one read per wake-up, not two. Trusting it is safe: the
   * checkpoint update is a compare-and-set, so a stale value only fails a
   * commit (the batch is rolled back and the row read again).
   */
  private readonly checkpoints = new Map<string, Checkpoint>();
  /** When each partition last moved its checkpoint past events that were not its own. */
  private readonly idleAdvances = new Map<string, number>();
  private readonly shared = new SharedReads<PartitionedRead>();
  /** Where each partition's batch in flight will leave its checkpoint. */
  private readonly committing = new Map<string, Checkpoint>();
  private readonly sizes = new BatchSizes();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eventLog: EventLogService,
    private readonly outputs: OutputWriter,
  ) {}

  /**
   * `batchSize`: events read per batch while the partition keeps up; one that is behind reads more (BatchSizes).
   * `fence`: the lease the batch is committed under; a lost lease answers `lost`.
   * `until`: read nothing past this checkpoint (a repartition's horizon).
   * `woken`: the wake-ups the caller had seen before this batch, and the count now (see SharedReads).
   */
  async run(
    saga: RegisteredSaga,
    partition: number,
    batchSize: number,
    fence: LeaseFence,
    until?: Checkpoint,
    woken?: WakeStamp,
  ): Promise<BatchResult> {
    const id = `${saga.name}/${partition}`;
    const size = { now: this.sizes.of(id, batchSize), configured: batchSize };
    const result = await this.runFrom(saga, partition, size, id, fence, until, woken).catch((error: unknown) => {
      this.sizes.reset(id);
      throw error;
    });
    if (result.kind === 'lost' || result.kind === 'failed') {
      this.checkpoints.delete(id);
      this.sizes.reset(id);
    }
    return result;
  }

  private async runFrom(
    saga: RegisteredSaga,
    partition: number,
    size: { now: number; configured: number },
    id: string,
    fence: LeaseFence,
    until?: Checkpoint,
    woken?: WakeStamp,
  ): Promise<BatchResult> {
    let known = this.checkpoints.get(id);
    if (!known) {
      const row = await sagaStore.partition(this.dataSource.manager, saga.name, partition);
      if (row.status === 'stopped') return { kind: 'stopped' };
      known = row.checkpoint;
      this.checkpoints.set(id, known);
    }
    const current = { checkpoint: known };
    const batchSize = size.now;
    let read = await this.read(saga, partition, batchSize, current.checkpoint, until, woken);
    // A kept read may predate the append this partition was woken for: unless it started after that wake-up,
    // an empty answer is confirmed by a read of its own.
    const covers = woken !== undefined && read.stamp >= woken.seen;
    if (read.kept && !read.byPartition.has(partition) && !covers)
      read = await this.read(saga, partition, batchSize, current.checkpoint, until, woken);
    const { checkpoint, caughtUp } = read;
    this.sizes.read(id, batchSize, caughtUp === false);
    const idle: BatchResult = read.held ? { kind: 'idle', held: true } : { kind: 'idle' };
    const events = read.byPartition.get(partition) ?? [];
    if (events.length === 0) {
      if (!isAfter(checkpoint, current.checkpoint)) return idle;
      // Caught up past events that are not ours: a write per wake-up would cost more than
      // re-reading them (the types index keeps that cheap), so the move waits up to a second.
      const last = this.idleAdvances.get(id) ?? 0;
      if (caughtUp && Date.now() - last < IDLE_ADVANCE_INTERVAL_MS) return idle;
      // Only other partitions' (or other types') events: move past them.
      try {
        this.idleAdvances.set(id, Date.now());
        return await this.commit(saga, partition, current.checkpoint, checkpoint, [], fence);
      } catch (error) {
        if (error instanceof PartitionLostError) return { kind: 'lost' };
        throw error;
      }
    }
    try {
      return await this.commit(saga, partition, current.checkpoint, checkpoint, events, fence);
    } catch (error) {
      if (error instanceof PartitionLostError) return { kind: 'lost' };
      // Deadlocks, timeouts, lost connections: nothing is wrong with the events; the loop retries the batch.
      if (isTransientDatabaseError(error)) throw error;
      if (events.length === 1) return this.failed(saga, events[0], error);
      // A grown batch is read again at the configured size, so that at most that many go one at a time.
      if (batchSize > size.configured) {
        this.sizes.reset(id);
        return this.runFrom(saga, partition, { ...size, now: size.configured }, id, fence, until, woken);
      }
    }
    return oneAtATime(
      events,
      current.checkpoint,
      (from, event) => this.commit(saga, partition, from, checkpointOf(event), [event], fence),
      (event, error) => this.failed(saga, event, error),
    );
  }

  /**
   * A repartition's bounded read is its own; otherwise one read serves every
   * partition of the saga that stands at the same checkpoint (SharedReads).
   */
  private async read(
    saga: RegisteredSaga,
    partition: number,
    batchSize: number,
    from: Checkpoint,
    until?: Checkpoint,
    woken?: WakeStamp,
  ) {
    const { keyField, events: types, partitions } = saga;
    // A shared read scans a batch for each partition it serves: each still gets about as many events as
    // alone, and a key's events spread over fewer batches (fewer rewrites of its state).
    const scan = async (of: number[]): Promise<PartitionedRead> => {
      const { events, ...rest } = keyField
        ? await this.eventLog.readPartitions(from, batchSize * of.length, { types, keyField, partitions, of }, until)
        : await this.eventLog.readAll(from, batchSize * of.length, { types }, until);
      return { ...rest, byPartition: byPartition(saga, events) };
    };
    if (until) return { ...(await scan([partition])), kept: false, stamp: 0 };
    // Partitions at `from`, or committing a batch that ends there: they are the next to ask for it.
    const peers = [...this.checkpoints, ...this.committing]
      .filter(([id, at]) => id.startsWith(`${saga.name}/`) && at.transactionId === from.transactionId)
      .filter(([, at]) => at.position === from.position)
      .map(([id]) => Number(id.slice(saga.name.length + 1)));
    const { value, kept, stamp } = await this.shared.read(saga.name, partition, from, peers, scan, woken?.now());
    return { ...value, kept, stamp };
  }

  private failed(saga: RegisteredSaga, event: RecordedEvent, error: unknown): BatchResult {
    return {
      kind: 'failed',
      position: event.position,
      error: describe(error),
      event,
      key: saga.keyOf(toSagaEvent(event)),
    };
  }

  private async commit(
    saga: RegisteredSaga,
    partition: number,
    from: Checkpoint,
    to: Checkpoint,
    events: RecordedEvent[],
    fence: LeaseFence,
  ) {
    const id = `${saga.name}/${partition}`;
    this.committing.set(id, to);
    try {
      const result = await this.dataSource.transaction(async (tx) => {
        const keyed = ownEvents(saga, partition, events);
        // Mostly no key is parked: the states come with that answer. A batch of other partitions' events
        // only moves the checkpoint: nothing to load.
        let mine = keyed;
        let loaded = keyed.length
          ? await stateStore.loadUnlessParked(tx, saga.name, keysOf(keyed), partition)
          : NOTHING_LOADED();
        if (!loaded) {
          mine = await parkedKeys.without(tx, saga.name, partition, keyed);
          loaded = mine.length ? await stateStore.load(tx, saga.name, keysOf(mine)) : NOTHING_LOADED();
        }
        const { states, stored } = loaded;
        const { pending } = foldEvents(saga, states, mine);
        await stateStore.save(tx, saga.name, stateWrites(stored, states, saga.entries));
        const written = await this.outputs.write(tx, pending);
        await sagaStore.advance(tx, saga.name, partition, from, to, mine.length, fence);
        return { kind: 'progress' as const, events: mine.length, ...written };
      });
      this.checkpoints.set(id, to);
      return result;
    } finally {
      this.committing.delete(id);
    }
  }
}

const NOTHING_LOADED = (): LoadedStates => ({ states: new Map(), stored: new Map() });
