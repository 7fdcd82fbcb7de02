import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { partitionOf } from '../../src/event-log/partition';
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
        const [row] = await sql.query(
          `SELECT status, attempts, last_error FROM command_outbox WHERE command_type = 'FlakyJob'`,
        );
        expect(row).toEqual({ status: 'done', attempts: 4, last_error: 'Error: flaky failure 3 of 3' });
      },
      { timeoutMs: 20_000 },
    );
    expect(await sql.query(`SELECT job FROM flaky_effects`)).toEqual([{ job: 'j1' }]);
  });

  const parked = () => sql.query(`SELECT key, failures, error FROM saga_parked_keys WHERE saga = 'picky' ORDER BY key`);
  const stateOf = async (key: string) =>
    (await sql.query(`SELECT state FROM saga_states WHERE saga = 'picky' AND key = $1`, [key]))[0]?.state;

  it(
    'parks only the key of an event the saga cannot process: its ' +
      'later events wait, every other key of its partition goes on',
    async () => {
      const http = httpClient(app.url);
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
      const poisoned = keys[0];
      const partition = partitionOf(poisoned, 4);
      const neighbours = keys.filter((key) => key !== poisoned && partitionOf(key, 4) === partition);
      expect(neighbours.length).toBeGreaterThan(0);

      await append('pick-poison', 'Pick', { key: poisoned, poison: true, seq: 1 });
      for (const key of keys) await append(`pick-${key}`, 'Pick', { key, seq: 2 });

      await eventually(async () =>
        expect(await parked()).toEqual([{ key: poisoned, failures: 3, error: 'Error: cannot digest a poisoned pick' }]),
      );
      // The rest of the partition, the poisoned key's own later event excepted, goes on.
      await eventually(async () => {
        const rows = await sql.query(`SELECT key FROM saga_states WHERE saga = 'picky' AND key LIKE 'key-%'`);
        expect(rows.map((r: { key: string }) => r.key).sort()).toEqual(keys.filter((key) => key !== poisoned).sort());
      });
      await append('pick-after-parking', 'Pick', { key: neighbours[0], seq: 3 });
      await append('pick-poisoned-later', 'Pick', { key: poisoned, seq: 3 });
      await eventually(async () => expect(await stateOf(neighbours[0])).toEqual({ picked: 2, seq: [2, 3] }));
      expect(await stateOf(poisoned)).toBeUndefined();
      const [row] = await sql.query(`SELECT status FROM saga_partitions WHERE saga = 'picky' AND partition = $1`, [
        partition,
      ]);
      expect(row.status).toBe('running');

      // Visible: /health (up, degraded), /sagas, /metrics, the dashboard.
      const health = await http.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.details.sagas.parked).toEqual([
        expect.objectContaining({
          saga: 'picky',
          key: poisoned,
          partition,
          failures: 3,
          error: 'Error: cannot digest a poisoned pick',
        }),
      ]);
      expect(health.body.details.sagas.degraded).toMatch(/1 parked key/);
      const sagas = (await http.get('/sagas')).body;
      expect(
        sagas.find((p: { saga: string; partition: number }) => p.saga === 'picky' && p.partition === partition),
      ).toMatchObject({
        status: 'running',
        parked: [expect.objectContaining({ key: poisoned, error: 'Error: cannot digest a poisoned pick' })],
      });
      expect((await http.get('/metrics')).body).toContain('backstop_saga_parked_keys{saga="picky"} 1');
      expect((await http.get('/dashboard')).body).toMatch(
        new RegExp(`id="parked".*${poisoned}.*cannot digest a poisoned pick`, 's'),
      );

      // A retry before the fix fails again and says so; the key stays parked.
      const early = await http.post(`/sagas/picky/keys/${poisoned}/retry`);
      expect(early.status).toBe(200);
      expect(early.body).toEqual({
        saga: 'picky',
        key: poisoned,
        processed: 0,
        parked: true,
        error: 'Error: cannot digest a poisoned pick',
      });
      expect(await parked()).toEqual([{ key: poisoned, failures: 4, error: 'Error: cannot digest a poisoned pick' }]);

      // After the fix, the parked events are processed in their order, then the key flows again.
      PickySaga.broken = false;
      const retried = await http.post(`/sagas/picky/keys/${poisoned}/retry`);
      expect(retried.body).toEqual({ saga: 'picky', key: poisoned, processed: 3, parked: false });
      expect(await stateOf(poisoned)).toEqual({ picked: 3, seq: [1, 2, 3] });
      expect(await parked()).toEqual([]);
      await append('pick-poisoned-flowing', 'Pick', { key: poisoned, seq: 4 });
      await eventually(async () => expect(await stateOf(poisoned)).toEqual({ picked: 4, seq: [1, 2, 3, 4] }));
      await eventually(async () =>
        expect((await http.get('/health')).body.details.sagas).toMatchObject({ parked: [] }),
      );
      expect((await http.get('/health')).body.details.sagas.degraded).toBeUndefined();

      expect((await http.post(`/sagas/picky/keys/${poisoned}/retry`)).status).toBe(404);
      expect((await http.post(`/sagas/nope/keys/${poisoned}/retry`)).status).toBe(404);
      expect((await http.post('/sagas/nope/resume')).status).toBe(404);
    },
  );

  it(
    "skips a parked key's head event on an admin call, " + 'records who and why in the log, then processes the rest',
    async () => {
      const http = httpClient(app.url);
      PickySaga.broken = true;
      const key = 'skip-me';
      const [poison] = await append('skip-poison', 'Pick', { key, poison: true, seq: 1 });
      await append('skip-next', 'Pick', { key, seq: 2 });
      await eventually(async () =>
        expect(await parked()).toEqual([{ key, failures: 3, error: 'Error: cannot digest a poisoned pick' }]),
      );
      // The partition passes the parked key's second event before the skip can take it.
      await eventually(async () => {
        const [row] = await sql.query(
          `SELECT checkpoint_position FROM saga_partitions WHERE saga = 'picky' AND partition = $1`,
          [partitionOf(key, 4)],
        );
        expect(Number(row.checkpoint_position)).toBeGreaterThan(poison.position);
      });

      expect((await http.post(`/sagas/picky/keys/${key}/skip`, { reason: 'no by' })).status).toBe(400);
      const skipped = await http.post(`/sagas/picky/keys/${key}/skip`, {
        by: 'ops@example.com',
        reason: 'a pick from a broken scanner',
      });
      expect(skipped.status).toBe(200);
      expect(skipped.body).toEqual({
        saga: 'picky',
        key,
        processed: 1,
        parked: false,
        skipped: { eventId: poison.metadata.eventId, position: poison.position },
      });
      expect(await stateOf(key)).toEqual({ picked: 1, seq: [2] });
      const [recorded] = await sql.query(
        `SELECT stream_id, payload FROM event_log WHERE event_type = 'SagaEventSkipped'`,
      );
      expect(recorded).toEqual({
        stream_id: `saga:picky:${key}`,
        payload: expect.objectContaining({
          saga: 'picky',
          key,
          eventId: poison.metadata.eventId,
          position: poison.position,
          by: 'ops@example.com',
          reason: 'a pick from a broken scanner',
          error: 'Error: cannot digest a poisoned pick',
        }),
      });
      expect((await http.get('/sagas/parked')).body).toEqual([]);
      PickySaga.broken = false;
    },
  );

  it('retries a commit whose connection is killed more than maxFailures times, and parks nothing', async () => {
    const key = 'transient-key';
    // EXCLUSIVE blocks the saga's writes to saga_states but takes no transaction id, so the saga still reads the event.
    const blocker = sql.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    const killed: number[] = [];
    try {
      await blocker.query(`LOCK TABLE saga_states IN EXCLUSIVE MODE`);
      await append('transient-pick', 'Pick', { key, seq: 1 });
      while (killed.length < 5) {
        const pid = await eventually(async () => {
          const rows = await sql.query(
            `SELECT pid FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%saga_states%'
                AND NOT (pid = ANY($1::int[]))`,
            [killed],
          );
          expect(rows.length).toBeGreaterThan(0);
          return rows[0].pid as number;
        });
        await sql.query(`SELECT pg_terminate_backend($1)`, [pid]);
        killed.push(pid);
      }
      await blocker.commitTransaction();
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
    await eventually(async () => expect(await stateOf(key)).toEqual({ picked: 1, seq: [1] }));
    expect(await parked()).toEqual([]);
    const partitions = await sql.query(`SELECT DISTINCT status FROM saga_partitions WHERE saga = 'picky'`);
    expect(partitions).toEqual([{ status: 'running' }]);
  });
});
