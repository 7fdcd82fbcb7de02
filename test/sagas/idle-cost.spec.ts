import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { partitionOf } from '../../src/event-log/partition';
import { OutputWriter } from '../../src/sagas/output-writer';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import { PartitionProcessor } from '../../src/sagas/partition-processor';
import { RegisteredSaga, SagaRegistry } from '../../src/sagas/saga-registry';
import { Saga } from '../../src/saga-api/saga.decorator';
import { SagaDefinition, SagaEvent } from '../../src/saga-api/saga.types';
import { eventually } from '../../src/testing/eventually';
import { FlakyModule } from '../fixtures/flaky.saga';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { holdPartitions } from '../support/held-partitions';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

/** Keyed by a function: its partitions read through readAll, not readPartition. */
@Saga({ name: 'rare-fn', events: ['Rare'], key: (event: SagaEvent) => event.payload.key, partitions: 2 })
class RareFnSaga implements SagaDefinition<number> {
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

@Module({ providers: [RareFnSaga] })
class RareFnModule {}

const NOISE = 100_000;

describe('an idle saga partition', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let single: DataSource;
  let app: RunningApp;
  let processor: PartitionProcessor;
  let registry: SagaRegistry;
  // Batches commit only under a lease: the test holds partition 0 of every saga, long enough for the whole file.
  let leases: PartitionLeases;
  const run = (saga: RegisteredSaga) => processor.run(saga, 0, 500, leases.fence(saga.name, 0));

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 3);
    // The polls under test run on one connection, so that its statistics can be flushed on demand.
    single = await openDataSource(db.url, 1);
    // Runtime off: nothing else reads the log while the test measures.
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } }, [FlakyModule, RareFnModule]);
    registry = app.app.get(SagaRegistry);
    processor = new PartitionProcessor(single, new EventLogService(single), app.app.get(OutputWriter));
    leases = new PartitionLeases(db.url, 'idle-cost-test', 600_000, () => undefined);
    for (const saga of registry.all()) await holdPartitions(sql, leases, saga);
  });
  afterAll(async () => {
    await leases?.releaseAll();
    await app.close();
    await single.destroy();
    await sql.destroy();
    await db.drop();
  });

  /** Rows of event_log read (sequentially or through any index) and saga_partitions rows updated by `work`. */
  async function cost(work: () => Promise<unknown>): Promise<{ rowsRead: number; checkpointWrites: number }> {
    const read = async () => {
      await single.query(`SELECT pg_stat_force_next_flush()`);
      const [row] = await sql.query(
        `SELECT (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relname = 'event_log')
              + (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname = 'event_log')
                AS rows_read,
                (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'saga_partitions') AS updates`,
      );
      return { rowsRead: Number(row.rows_read), updates: Number(row.updates) };
    };
    const before = await read();
    await work();
    const after = await read();
    return { rowsRead: after.rowsRead - before.rowsRead, checkpointWrites: after.updates - before.updates };
  }

  it(
    'reads a bounded number of rows per poll, whatever the number of ' +
      'events of other types, and writes nothing when nothing changed',
    async () => {
      await sql.query(
        `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload)
       SELECT gen_random_uuid(), 'Noise', 'noise-' || g, 1, 'Noise', '{}'::jsonb FROM generate_series(1, $1::int) AS g`,
        [NOISE],
      );
      // Another database's transaction on the server can hold the horizon for a moment: wait until the noise is
      // readable.
      await eventually(async () => {
        const [row] = await sql.query(
          `SELECT pg_snapshot_xmin(pg_current_snapshot()) > max(transaction_id) AS readable FROM event_log`,
        );
        expect(row.readable).toBe(true);
      });
      const sagas = registry.all();
      expect(sagas.map((saga) => saga.name).sort()).toEqual([
        'coupon-usage',
        'credit-limit',
        'jobs',
        'picky',
        'rare-fn',
      ]);
      const polls = [];
      for (const saga of sagas) {
        // The first poll after the noise moves the checkpoint past it (one write); the index spares it the reading.
        const first = await cost(() => run(saga));
        const second = await cost(() => run(saga));
        polls.push({ saga: saga.name, first, second });
      }
      const tooDear = polls.filter(
        ({ first, second }) =>
          first.rowsRead > 50 || first.checkpointWrites > 1 || second.rowsRead > 50 || second.checkpointWrites !== 0,
      );
      expect(tooDear).toEqual([]);
      const behind = await sql.query(
        `SELECT saga FROM saga_partitions WHERE partition = 0 AND checkpoint_txid < (SELECT max(transaction_id)
        FROM event_log)`,
      );
      expect(behind).toEqual([]);
    },
  );

  it(
    'still delivers a subscribed event after its checkpoint moved past ' +
      'the noise, also one of a transaction open during the idle polls',
    async () => {
      const picky = registry.get('picky')!;
      const rare = registry.get('rare-fn')!;
      const key = Array.from({ length: 50 }, (_, i) => `k-${i}`).find(
        (k) => partitionOf(k, 4) === 0 && partitionOf(k, 2) === 0,
      )!;
      const log = new EventLogService(sql);
      const late = sql.createQueryRunner();
      await late.connect();
      await late.startTransaction();
      try {
        await log.append(late.manager, { type: 'Test', id: 'late-pick' }, 0, [{ type: 'Pick', payload: { key } }]);
        await log.append(late.manager, { type: 'Test', id: 'late-rare' }, 0, [{ type: 'Rare', payload: { key } }]);
        await sql.transaction((tx) =>
          log.append(tx, { type: 'Test', id: 'noise-after' }, 0, [{ type: 'Noise', payload: {} }]),
        );
        expect(await run(picky)).toEqual({ kind: 'idle', held: true });
        expect(await run(rare)).toEqual({ kind: 'idle', held: true });
        await late.commitTransaction();
      } finally {
        if (late.isTransactionActive) await late.rollbackTransaction();
        await late.release();
      }
      // Again, another database may hold the horizon a moment longer.
      for (const saga of [picky, rare]) {
        let processed = 0;
        await eventually(async () => {
          const result = await run(saga);
          if (result.kind === 'progress') processed += result.events;
          expect(processed).toBe(1);
        });
      }
      const states = await sql.query(`SELECT saga, state FROM saga_states WHERE key = $1 ORDER BY saga`, [key]);
      expect(states).toEqual([
        { saga: 'picky', state: { picked: 1, seq: [] } },
        { saga: 'rare-fn', state: 1 },
      ]);
    },
  );
});
