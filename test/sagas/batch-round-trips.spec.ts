import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { OutputWriter } from '../../src/sagas/output-writer';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import { PartitionProcessor, WakeStamp } from '../../src/sagas/partition-processor';
import { partitionOf } from '../../src/event-log/partition';
import { RegisteredSaga, SagaRegistry } from '../../src/sagas/saga-registry';
import { Saga } from '../../src/saga-api/saga.decorator';
import { SagaDefinition } from '../../src/saga-api/saga.types';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { holdPartitions } from '../support/held-partitions';
import { RoundTripCounter } from '../support/round-trip-counter';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

/** Counts Step events per key and decides nothing: a batch writes its states and checkpoint only. */
@Saga({ name: 'steps', events: ['Step'], key: 'key', partitions: 1 })
class StepsSaga implements SagaDefinition<number> {
  initialState() {
    return 0;
  }
  evolve(state: number) {
    return state + 1;
  }
  decide() {
    return [];
  }
}

/** The same over two partitions, to share reads. */
@Saga({ name: 'pairs', events: ['Pair'], key: 'key', partitions: 2 })
class PairsSaga extends StepsSaga {}

@Module({ providers: [StepsSaga, PairsSaga] })
class StepsModule {}

describe('the round trips of a saga batch', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let counted: DataSource;
  let counter: RoundTripCounter;
  let app: RunningApp;
  let processor: PartitionProcessor;
  let saga: RegisteredSaga;
  let leases: PartitionLeases;
  let pairs: RegisteredSaga;
  const run = () => processor.run(saga, 0, 500, leases.fence(saga.name, 0));
  /** Readable once no older transaction on the server holds the horizon. */
  const readable = () =>
    eventually(async () => {
      const [row] = await sql.query(
        `SELECT pg_snapshot_xmin(pg_current_snapshot()) > max(transaction_id) AS readable FROM event_log`,
      );
      expect(row.readable).toBe(true);
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 2);
    const target = new URL(db.url);
    counter = await new RoundTripCounter(target.hostname, Number(target.port)).start();
    counted = await openDataSource(counter.url(db.url), 1);
    // Runtime off: the test drives the partition itself.
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } }, [StepsModule]);
    saga = app.app.get(SagaRegistry).get('steps')!;
    pairs = app.app.get(SagaRegistry).get('pairs')!;
    processor = new PartitionProcessor(counted, new EventLogService(counted), app.app.get(OutputWriter));
    leases = new PartitionLeases(db.url, 'round-trips-test', 600_000, () => undefined);
    await holdPartitions(sql, leases, saga);
    await holdPartitions(sql, leases, pairs, [0, 1]);
    await eventually(async () => expect(await run()).toMatchObject({ kind: 'idle' }));
  });
  afterAll(async () => {
    await leases?.releaseAll();
    await app.close();
    await counted.destroy();
    await counter.stop();
    await sql.destroy();
    await db.drop();
  });

  it('is one read, then BEGIN, states with the parked-key check, states written, checkpoint, COMMIT', async () => {
    const log = new EventLogService(sql);
    for (const key of ['a', 'b'])
      await log.append(sql.manager, { type: 'Stepper', id: key }, 0, [{ type: 'Step', payload: { key } }]);
    await readable();
    const before = counter.count;
    expect(await run()).toMatchObject({ kind: 'progress', events: 2 });
    expect(counter.count - before).toBe(6);
    const states = await sql.query(`SELECT key, state FROM saga_states WHERE saga = 'steps' ORDER BY key`);
    expect(states).toEqual([
      { key: 'a', state: 1 },
      { key: 'b', state: 1 },
    ]);
  });

  it("takes a peer's empty read when it started after the wake-up, and reads itself when it did not", async () => {
    const key = ['p-1', 'p-2', 'p-3', 'p-4'].find((k) => partitionOf(k, 2) === 0)!;
    const log = new EventLogService(sql);
    let round = 0;
    /** Round trips of partition 1's batch, woken at `seen`, after partition 0 read for both at wake-up 5. */
    const partitionOne = async (seen: number) => {
      // A processor of its own: batches of 1, no grown sizes or idle moves of an earlier round.
      const own = new PartitionProcessor(counted, new EventLogService(counted), app.app.get(OutputWriter));
      const run = (partition: number, woken?: WakeStamp) =>
        own.run(pairs, partition, 1, leases.fence(pairs.name, partition), undefined, woken);
      // Both caught up at one checkpoint, as after a batch.
      await eventually(async () => {
        for (const partition of [0, 1]) expect(await run(partition)).toMatchObject({ kind: 'idle' });
        const at = await sql.query(
          `SELECT DISTINCT checkpoint_txid, checkpoint_position FROM saga_partitions WHERE saga = 'pairs'`,
        );
        expect(at).toHaveLength(1);
      });
      const events = [1, 2].map(() => ({ type: 'Pair', payload: { key } }));
      await log.append(sql.manager, { type: 'Pairer', id: `pair-${++round}` }, 0, events);
      await readable();
      // A full read (2 events for 2 partitions): partition 1 moves its checkpoint at once, never on a timer.
      expect(await run(0, { seen: 5, now: () => 5 })).toMatchObject({ kind: 'progress', events: 2 });
      const before = counter.count;
      expect(await run(1, { seen, now: () => seen })).toMatchObject({ kind: 'progress', events: 0 });
      return counter.count - before;
    };
    const covered = await partitionOne(5);
    const stale = await partitionOne(6);
    // Woken by the same wake-up (5), the read covers it; by a later one (6), partition 1 reads once more itself.
    expect(stale - covered).toBe(1);
  });
});
