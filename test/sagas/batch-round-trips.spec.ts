import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { OutputWriter } from '../../src/sagas/output-writer';
import { partitionCounts } from '../../src/sagas/partition-count';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import { PartitionProcessor } from '../../src/sagas/partition-processor';
import { RegisteredSaga, SagaRegistry } from '../../src/sagas/saga-registry';
import { sagaStore } from '../../src/sagas/saga-store';
import { Saga } from '../../src/saga-api/saga.decorator';
import { SagaDefinition } from '../../src/saga-api/saga.types';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
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

@Module({ providers: [StepsSaga] })
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
  const run = () => processor.run(saga, 0, 500, leases.fence(saga.name, 0));

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 2);
    const target = new URL(db.url);
    counter = await new RoundTripCounter(target.hostname, Number(target.port)).start();
    counted = await openDataSource(counter.url(db.url), 1);
    // Runtime off: the test drives the partition itself.
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } }, [StepsModule]);
    saga = app.app.get(SagaRegistry).get('steps')!;
    processor = new PartitionProcessor(counted, new EventLogService(counted), app.app.get(OutputWriter));
    leases = new PartitionLeases(db.url, 'round-trips-test', 600_000, () => undefined);
    await partitionCounts.claim(sql.manager, saga.name, saga.partitions);
    await sagaStore.ensurePartitions(sql.manager, saga.name, saga.partitions);
    expect(await leases.tryAcquire(saga.name, 0, saga.partitions)).toBe(true);
    await eventually(async () => expect(await run()).toEqual({ kind: 'idle' }));
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
    // Readable once no older transaction on the server holds the horizon.
    await eventually(async () => {
      const [row] = await sql.query(
        `SELECT pg_snapshot_xmin(pg_current_snapshot()) > max(transaction_id) AS readable FROM event_log`,
      );
      expect(row.readable).toBe(true);
    });
    const before = counter.count;
    expect(await run()).toMatchObject({ kind: 'progress', events: 2 });
    expect(counter.count - before).toBe(6);
    const states = await sql.query(`SELECT key, state FROM saga_states WHERE saga = 'steps' ORDER BY key`);
    expect(states).toEqual([
      { key: 'a', state: 1 },
      { key: 'b', state: 1 },
    ]);
  });
});
