import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { eventually } from '../../src/testing/eventually';
import { CountingModule, TICK_EFFECTS_DDL } from '../fixtures/counting.saga';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const EVENTS = 30;
/** A steady stream: slower than a batch, so that each commit would find the partition idle. */
const PACE_MS = 10;

/** Each checkpoint move of the counting saga, with the events it carried: a test-only record of the batches. */
const BATCH_LOG_DDL = `
  CREATE TABLE batch_log (events int NOT NULL);
  CREATE FUNCTION log_batch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO batch_log VALUES (NEW.events_processed - OLD.events_processed); RETURN NEW; END $$;
  CREATE TRIGGER log_batch AFTER UPDATE ON saga_partitions FOR EACH ROW
    WHEN (NEW.saga = 'counting' AND NEW.events_processed > OLD.events_processed) EXECUTE FUNCTION log_batch();`;

describe('a live stream of appends, one commit each', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 2);
    await sql.query(TICK_EFFECTS_DDL);
    await sql.query(BATCH_LOG_DDL);
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { coalesceMs: 50 } }, [CountingModule]);
  });
  afterAll(async () => {
    await app.close();
    await sql.destroy();
    await db.drop();
  });

  it('is processed in a few batches once coalesced, each event once', async () => {
    // The app's own log: each commit wakes its partitions in-process, as a command's would.
    const log = app.app.get(EventLogService);
    const manager = app.app.get(DataSource).manager;
    for (let n = 0; n < EVENTS; n++) {
      await log.append(manager, { type: 'Ticker', id: 'live' }, n, [{ type: 'Tick', payload: { key: 'one' } }]);
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
    await eventually(
      async () => {
        const [row] = await sql.query(`SELECT count(*)::int AS batches, sum(events)::int AS events FROM batch_log`);
        expect(row.events).toBe(EVENTS);
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const [{ batches }] = await sql.query(`SELECT count(*)::int AS batches FROM batch_log`);
    // Uncoalesced, nearly every commit is a batch of its own (one or two events each).
    expect(batches).toBeLessThanOrEqual(EVENTS / 3);
    await eventually(async () => {
      const [row] = await sql.query(
        `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS events FROM tick_effects`,
      );
      expect(row).toEqual({ n: EVENTS, events: EVENTS });
    });
  }, 60_000);
});
