import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { partitionOf } from '../../src/sagas/episode-id';
import { eventually } from '../../src/testing/eventually';
import { FLAKY_EFFECTS_DDL, FlakyModule, PickySaga } from '../fixtures/flaky.saga';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

describe('saga runtime failures', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let app: RunningApp;
  let log: EventLogService;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    await sql.query(FLAKY_EFFECTS_DDL);
    log = new EventLogService(sql);
    app = await startBackstopApp(
      { databaseUrl: db.url, runtime: { pollIntervalMs: 100, maxFailures: 3, retryDelayMs: 20 } },
      [FlakyModule],
    );
  });
  afterAll(async () => {
    await app.close();
    await sql.destroy();
    await db.drop();
  });

  const append = (streamId: string, type: string, payload: Record<string, unknown>) =>
    sql.transaction((tx) => log.append(tx, { type: 'Test', id: streamId }, 0, [{ type, payload }]));

  it('retries a command that fails 3 times with backoff, then executes it once and records the attempts', async () => {
    await append('job-1', 'Job', { job: 'j1', failures: 3 });
    await eventually(
      async () => {
        const [row] = await sql.query(`SELECT status, attempts, last_error FROM command_outbox WHERE command_type = 'FlakyJob'`);
        expect(row).toEqual({ status: 'done', attempts: 4, last_error: 'Error: flaky failure 3 of 3' });
      },
      { timeoutMs: 20_000 },
    );
    expect(await sql.query(`SELECT job FROM flaky_effects`)).toEqual([{ job: 'j1' }]);
  });

  it('stops only the partition of an event the saga cannot process, reports it, and resumes after the fix', async () => {
    const http = httpClient(app.url);
    const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
    const poisoned = keys[0];
    const stoppedPartition = partitionOf(poisoned, 4);
    const healthyKeys = keys.filter((key) => partitionOf(key, 4) !== stoppedPartition);
    expect(healthyKeys.length).toBeGreaterThan(0);

    await append('pick-poison', 'Pick', { key: poisoned, poison: true });
    for (const key of keys) await append(`pick-${key}`, 'Pick', { key });

    await eventually(async () => {
      const [row] = await sql.query(
        `SELECT status, failures, last_error FROM saga_partitions WHERE saga = 'picky' AND partition = $1`,
        [stoppedPartition],
      );
      expect(row).toEqual({ status: 'stopped', failures: 3, last_error: 'Error: cannot digest a poisoned pick' });
    });
    // Other partitions keep going.
    await eventually(async () => {
      const rows = await sql.query(`SELECT key FROM saga_states WHERE saga = 'picky' ORDER BY key`);
      expect(rows.map((r: { key: string }) => r.key).sort()).toEqual([...healthyKeys].sort());
    });
    const health = await http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.error.sagas.stopped).toEqual([
      expect.objectContaining({ saga: 'picky', partition: stoppedPartition, lastError: 'Error: cannot digest a poisoned pick' }),
    ]);
    expect((await http.get('/sagas')).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ saga: 'picky', partition: stoppedPartition, status: 'stopped' })]),
    );

    PickySaga.broken = false;
    expect((await http.post(`/sagas/picky/partitions/${stoppedPartition}/resume`)).body).toEqual({ resumed: 1 });
    await eventually(async () => {
      const rows = await sql.query(`SELECT count(*)::int AS n, sum((state->>'picked')::int)::int AS picked FROM saga_states WHERE saga = 'picky'`);
      expect(rows[0]).toEqual({ n: 12, picked: 13 });
    });
    await eventually(async () => expect((await http.get('/health')).status).toBe(200));
    expect((await http.post('/sagas/nope/resume')).status).toBe(404);
  });
});
