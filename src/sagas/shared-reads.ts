import { Checkpoint, RecordedEvent } from '../event-log/event-log.types';
import { partitionOf } from '../event-log/partition';
import type { RegisteredSaga } from './saga-registry';
import { toSagaEvent } from './saga-fold';

interface SharedRead<T> {
  /** The partitions the read was made for: its events are theirs, and only theirs. */
  partitions: Set<number>;
  /** Partitions that have had it: each has it once, so its next call always reads anew. */
  served: Set<number>;
  result: Promise<T>;
  /** The wake-ups its maker had seen when it started (see read). */
  stamp: number;
}

/** Reads kept at once; past it the oldest go (a partition that left one unserved moved on or away). */
const MAX_READS = 64;

/**
 * One read of the log for all of a saga's partitions that stand at the same
 * checkpoint (they do after each batch: every partition's read of the same
 * range ends at the same checkpoint). The first partition to ask reads for
 * all of them; the others take its result instead of scanning the same rows
 * again. A read is a valid answer at any later time (it moves no checkpoint
 * past anything it did not see), so handing it on costs only freshness:
 * each partition gets a read at most once (its next call reads anew), and
 * one that got nothing from a kept read started before its wake-up reads
 * again itself, so no partition sleeps on a read older than its wake-up. Commits stay per partition, under
 * each partition's own fence.
 */
export class SharedReads<T> {
  private readonly reads = new Map<string, SharedRead<T>>();

  /**
   * The events after `from` for `partition`: a read another partition made
   * for it, or a new one by `read` for `partition` and `peers` (the other
   * partitions known to stand at `from`). `stamp`: the count of wake-ups
   * at the time of the call; a kept read answers with its maker's, so a
   * partition knows whether it started after the wake-up it is serving.
   */
  read(
    saga: string,
    partition: number,
    from: Checkpoint,
    peers: number[],
    read: (partitions: number[]) => Promise<T>,
    stamp = 0,
  ): Promise<{ value: T; kept: boolean; stamp: number }> {
    const id = `${saga}|${from.transactionId}|${from.position}`;
    const shared = this.reads.get(id);
    if (shared && shared.partitions.has(partition) && !shared.served.has(partition)) {
      shared.served.add(partition);
      if (shared.served.size === shared.partitions.size) this.reads.delete(id);
      return shared.result.then((value) => ({ value, kept: true, stamp: shared.stamp }));
    }
    const partitions = [...new Set([partition, ...peers])].sort((a, b) => a - b);
    const fresh: SharedRead<T> = {
      partitions: new Set(partitions),
      served: new Set([partition]),
      result: read(partitions),
      stamp,
    };
    // A failed read is nobody's answer: the next call reads again.
    fresh.result.catch(() => this.reads.get(id) === fresh && this.reads.delete(id));
    this.reads.delete(id);
    if (partitions.length > 1) this.reads.set(id, fresh);
    while (this.reads.size > MAX_READS) this.reads.delete(this.reads.keys().next().value!);
    return fresh.result.then((value) => ({ value, kept: false, stamp }));
  }
}

/** A read of the log, its events split by partition once for all the partitions it serves. */
export interface PartitionedRead {
  checkpoint: Checkpoint;
  caughtUp?: boolean;
  held?: boolean;
  byPartition: Map<number, RecordedEvent[]>;
}

/** A read's events by the partition of their key (events without a key belong to none). */
export function byPartition(saga: RegisteredSaga, events: RecordedEvent[]): Map<number, RecordedEvent[]> {
  const split = new Map<number, RecordedEvent[]>();
  for (const event of events) {
    const key = saga.keyOf(toSagaEvent(event));
    if (key === undefined) continue;
    const partition = partitionOf(key, saga.partitions);
    const mine = split.get(partition);
    if (mine) mine.push(event);
    else split.set(partition, [event]);
  }
  return split;
}
