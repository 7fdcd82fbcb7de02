import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { partitionOf } from '../../src/event-log/partition';
import { OutputWriter } from '../../src/sagas/output-writer';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import { BatchResult, PartitionProcessor } from '../../src/sagas/partition-processor';
import { RegisteredSaga, SagaRegistry } from '../../src/sagas/saga-registry';
import { Saga } from '../../src/saga-api/saga.decorator';
import { SagaDefinition, SagaEvent } from '../../src/saga-api/saga.types';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { holdPartitions } from '../support/held-partitions';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const PARTITIONS = 4;

/** Counts Tally events per key; Ignored events leave the state as it was. */
@Saga({ name: 'tally', events: ['Tally', 'Ignored'], key: 'key', partitions: PARTITIONS })
class TallySaga implements SagaDefinition<{ tallies: number }> {
  initialState() {
    return { tallies: 0 };
  }
  evolve(state: { tallies: number }, event: SagaEvent) {
    return event.type === 'Tally' ? { tallies: state.tallies + 1 } : state;
  }
  decide() {
    return [];
  }
}

@Module({ providers: [TallySaga] })
class TallyModule {}

describe('saga batch I/O', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let single: DataSource;
  let app: RunningApp;
  let processor: PartitionProcessor;
  let saga: RegisteredSaga;
  let leases: PartitionLeases;
  const run = (partition: number) => processor.run(saga, partition, 500, leases.fence(saga.name, partition));
  const keyOn = (partition: number, from = 0) =>
    Array.from({ length: 1_000 }, (_, i) => `k-${from + i}`).find((k) => partitionOf(k, PARTITIONS) === partition)!;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 3);
    // The batches under test read on one connection, so that its statistics can be flushed on demand.
    single = await openDataSource(db.url, 1);
    // Runtime off: the test drives the partitions itself.
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } }, [TallyModule]);
    saga = app.app.get(SagaRegistry).get('tally')!;
    processor = new PartitionProcessor(single, new EventLogService(single), app.app.get(OutputWriter));
    leases = new PartitionLeases(db.url, 'batch-io-test', 600_000, () => undefined);
    await holdPartitions(sql, leases, saga, [...Array(PARTITIONS).keys()]);
  });
  afterAll(async () => {
    await leases?.releaseAll();
    await app.close();
    await single.destroy();
    await sql.destroy();
    await db.drop();
  });

  async function append(type: string, keys: string[]): Promise<void> {
    const log = new EventLogService(sql);
    await sql.transaction(async (tx) => {
      for (const [i, key] of keys.entries())
        await log.append(tx, { type: 'Test', id: `${type}-${key}-${i}-${Math.random()}` }, 0, [
          { type, payload: { key } },
        ]);
    });
  }

  /** Runs the partitions (all at once) until they have processed `expected` events between them. */
  async function processAll(partitions: number[], expected: number): Promise<void> {
    let processed = 0;
    await eventually(async () => {
      const results: BatchResult[] = await Promise.all(partitions.map((partition) => run(partition)));
      for (const result of results) if (result.kind === 'progress') processed += result.events;
      expect(processed).toBe(expected);
    });
  }

  async function eventLogRowsRead(): Promise<number> {
    await single.query(`SELECT pg_stat_force_next_flush()`);
    const [row] = await sql.query(
      `SELECT (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'event_log')
            + (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = 'event_log') AS n`,
    );
    return Number(row.n);
  }

  it('does not write back a state that a batch left as it was', async () => {
    const key = keyOn(0);
    await append('Tally', [key]);
    await processAll([0], 1);
    const row = () =>
      sql.query(`SELECT xmin::text AS xmin, state FROM saga_states WHERE saga = 'tally' AND key = $1`, [key]);
    const [before] = await row();
    expect(before.state).toEqual({ tallies: 1 });

    await append('Ignored', [key]);
    await processAll([0], 1);
    const [after] = await row();
    // The same row version: the batch committed (its event counted) without rewriting the state.
    expect(after).toEqual(before);
    const [partition] = await sql.query(
      `SELECT events_processed::int AS n FROM saga_partitions WHERE saga = 'tally' AND partition = 0`,
    );
    expect(partition.n).toBe(2);
  });

  it('reads the log once per batch for the partitions at one checkpoint, each committing its own events', async () => {
    const all = [0, 1, 2, 3];
    // Bring every partition to the same checkpoint (the tail), as after any batch they all took part in.
    await processAll(all, 0);
    await eventually(async () => {
      for (const partition of all) expect(await run(partition)).toEqual({ kind: 'idle' });
    });
    const keys = all.flatMap((partition) => Array.from({ length: 5 }, (_, i) => keyOn(partition, (i + 1) * 1_000)));
    const events = 400;
    await append(
      'Tally',
      Array.from({ length: events }, (_, i) => keys[i % keys.length]),
    );
    // Readable once no older transaction on the server holds the horizon.
    await eventually(async () => {
      const [row] = await sql.query(
        `SELECT pg_snapshot_xmin(pg_current_snapshot()) > max(transaction_id) AS readable FROM event_log`,
      );
      expect(row.readable).toBe(true);
    });
    const before = await eventLogRowsRead();
    const results = await Promise.all(all.map((partition) => run(partition)));
    const rowsRead = (await eventLogRowsRead()) - before;

    expect(results.map((result) => result.kind)).toEqual(['progress', 'progress', 'progress', 'progress']);
    expect(results.reduce((sum, result) => sum + (result.kind === 'progress' ? result.events : 0), 0)).toBe(events);
    // One scan of the new events (plus the tail lookup), not one per partition (about 4 x 400 before).
    expect(rowsRead).toBeLessThan(events * 1.5);
    const tallies = await sql.query(
      `SELECT sum((state->>'tallies')::int)::int AS n FROM saga_states WHERE saga = 'tally' AND key = ANY($1::text[])`,
      [keys],
    );
    expect(tallies[0].n).toBe(events);
  });
});
