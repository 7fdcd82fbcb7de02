import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { CountingModule, TICK_EFFECTS_DDL } from '../fixtures/counting.saga';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';
import { keyMismatches, tickTotals, writeTicks } from '../support/tick-writers';

describe('a counting saga under concurrent writers', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 25);
    await sql.query(TICK_EFFECTS_DDL);
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { pollIntervalMs: 100 } }, [CountingModule]);
  });
  afterAll(async () => {
    await app.close();
    await sql.destroy();
    await db.drop();
  });

  it('counts each of 5,000 events from 20 writers exactly once per key, and runs each command once', async () => {
    await writeTicks(sql, { writers: 20, total: 5_000, keys: 50 });
    await eventually(
      async () => expect(await tickTotals(sql)).toEqual({ counted: 5_000, effects: 5_000, distinctEvents: 5_000 }),
      {
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    expect(await keyMismatches(sql)).toEqual([]);
    const outbox = await sql.query(`SELECT status, count(*)::int AS n FROM command_outbox GROUP BY status`);
    expect(outbox).toEqual([{ status: 'done', n: 5_000 }]);
    const partitions = await sql.query(
      `SELECT sum(events_processed)::int AS n FROM saga_partitions WHERE saga = 'counting'`,
    );
    expect(partitions[0].n).toBe(5_000);
  }, 90_000);
});
