import { Module } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { partitionOf } from '../../src/event-log/partition';
import { OutputWriter } from '../../src/sagas/output-writer';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import { BatchResult, PartitionProcessor } from '../../src/sagas/partition-processor';
import { RegisteredSaga, SagaRegistry } from '../../src/sagas/saga-registry';
import { LeaseFence } from '../../src/sagas/saga-store';
import { Saga } from '../../src/saga-api/saga.decorator';
import { isEcho, SagaDefinition, SagaMessage } from '../../src/saga-api/saga.types';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { holdPartitions } from '../support/held-partitions';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const PARTITIONS = 2;
const BATCH = 10;

/** Counts Grow events per key; one marked `poison` fails every time. */
@Saga({ name: 'grow', events: ['Grow'], key: 'key', partitions: PARTITIONS })
class GrowSaga implements SagaDefinition<{ seen: number }> {
  initialState() {
    return { seen: 0 };
  }
  evolve(state: { seen: number }, message: SagaMessage) {
    if (!isEcho(message) && message.payload.poison) throw new Error('poison');
    return { seen: state.seen + 1 };
  }
  decide() {
    return [];
  }
}

@Module({ providers: [GrowSaga] })
class GrowModule {}

describe('saga batches while a partition is behind', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let app: RunningApp;
  let processor: PartitionProcessor;
  let saga: RegisteredSaga;
  let leases: PartitionLeases;
  const fence = () => leases.fence(saga.name, 0);
  const run = (under: LeaseFence = fence()) => processor.run(saga, 0, BATCH, under);
  const keys = Array.from({ length: 1_000 }, (_, i) => `g-${i}`)
    .filter((key) => partitionOf(key, PARTITIONS) === 0)
    .slice(0, 3);

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 3);
    // Runtime off: the test drives partition 0 itself.
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } }, [GrowModule]);
    saga = app.app.get(SagaRegistry).get('grow')!;
    processor = new PartitionProcessor(sql, new EventLogService(sql), app.app.get(OutputWriter));
    leases = new PartitionLeases(db.url, 'batch-growth-test', 600_000, () => undefined);
    await holdPartitions(sql, leases, saga);
  });
  afterAll(async () => {
    await leases?.releaseAll();
    await app.close();
    await sql.destroy();
    await db.drop();
  });

  /** `count` Grow events over the keys, in one transaction (its own, or `tx`); the `poison`-th one fails. */
  async function append(count: number, tx?: EntityManager, poison?: number): Promise<void> {
    const log = new EventLogService(sql);
    const events = Array.from({ length: count }, (_, i) => ({
      type: 'Grow',
      payload: { key: keys[i % keys.length], ...(i + 1 === poison ? { poison: true } : {}) },
    }));
    const write = (on: EntityManager) => log.append(on, { type: 'Test', id: `grow-${Math.random()}` }, 0, events);
    await (tx ? write(tx) : sql.transaction(write));
  }

  /** Batches until idle: the events each one committed. */
  async function drain(): Promise<number[]> {
    const sizes: number[] = [];
    for (let result = await run(); result.kind !== 'idle'; result = await run()) {
      expect(result.kind).toBe('progress');
      sizes.push((result as Extract<BatchResult, { kind: 'progress' }>).events);
    }
    return sizes;
  }

  async function seen(): Promise<{ seen: number; processed: number }> {
    const [row] = await sql.query(
      `SELECT (SELECT coalesce(sum((state->>'seen')::int), 0)::int FROM saga_states WHERE saga = 'grow') AS seen,
              (SELECT events_processed::int FROM saga_partitions WHERE saga = 'grow' AND partition = 0) AS processed`,
    );
    return row;
  }

  /** Appends are readable once no older transaction on the server holds the horizon. */
  async function readable(): Promise<void> {
    await eventually(async () => {
      const [row] = await sql.query(
        `SELECT pg_snapshot_xmin(pg_current_snapshot()) > max(transaction_id) AS readable FROM event_log`,
      );
      expect(row.readable).toBe(true);
    });
  }

  it('doubles the batch after each full read and starts again at the configured size once caught up', async () => {
    await append(300);
    await readable();
    expect(await drain()).toEqual([10, 20, 40, 80, 150]);
    await append(25);
    await readable();
    expect(await drain()).toEqual([10, 15]);
    expect(await seen()).toEqual({ seen: 325, processed: 325 });
  });

  it('does not grow past the read horizon: events behind an open transaction wait for it', async () => {
    const before = await seen();
    await append(100);
    await readable();
    const open = sql.createQueryRunner();
    await open.startTransaction();
    try {
      await append(1, open.manager);
      await append(200);
      // 100 readable events, then the horizon: the grown batch stops there, however large.
      expect(await drain()).toEqual([10, 20, 40, 30]);
      expect((await seen()).processed - before.processed).toBe(100);
      await open.commitTransaction();
    } finally {
      await open.release();
    }
    await readable();
    expect(await drain()).toEqual([10, 20, 40, 80, 51]);
    expect(await seen()).toEqual({ seen: before.seen + 301, processed: before.processed + 301 });
  });

  it('commits nothing of a grown batch under a lost lease, and starts again at the configured size', async () => {
    const before = await seen();
    await append(100);
    await readable();
    expect((await run()).kind).toBe('progress');
    expect((await run()).kind).toBe('progress');
    const stale = fence();
    // Taken again: a new epoch fences every batch still under the old one.
    expect(await leases.tryAcquire(saga.name, 0, saga.partitions)).toBe(true);
    expect(await run(stale)).toEqual({ kind: 'lost' });
    expect(await seen()).toEqual({ seen: before.seen + 30, processed: before.processed + 30 });
    expect(await drain()).toEqual([10, 20, 40]);
    expect(await seen()).toEqual({ seen: before.seen + 100, processed: before.processed + 100 });
  });

  it('reads a failed grown batch again at the configured size: at most that many events go one at a time', async () => {
    const before = await seen();
    await append(150, undefined, 140);
    await readable();
    const sizes: number[] = [];
    let result = await run();
    for (; result.kind === 'progress'; result = await run()) sizes.push(result.events);
    expect(result).toMatchObject({ kind: 'failed', error: 'Error: poison' });
    expect((await seen()).processed - before.processed).toBe(139);
    // 10, 20, 40; the 80 holding the culprit fails and goes again from 10 (71-80), growing: 20, 10, 20; the 20 left
    // (131-150) fail, read again at 10 (131-140) they fail, and those go one at a time: 131-139 commit, 140 fails.
    // Without the re-read, the 80 would have gone one at a time: 69 commits behind 10, 20, 40.
    expect(sizes).toEqual([10, 20, 40, 10, 20, 10, 20]);
  });
});
