import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { partitionOf } from '../../src/event-log/partition';
import { SagaRepartitioner } from '../../src/sagas/repartition';
import { RepartitionRefusedError, RepartitionUsageError } from '../../src/sagas/repartition-checks';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { quiescent } from '../support/quiescence';
import { runRepartition } from '../support/repartition-process';
import { spawnService, waitForListening } from '../support/service-process';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const CUSTOMERS = Array.from({ length: 12 }, (_, i) => `rp-${i}`);
// Keys that live on partitions 4 to 7 of 8: exactly the ones a raise from 4 moves.
const MOVED = CUSTOMERS.filter((id) => partitionOf(id, 8) >= 4);

describe("changing a saga's partition count", () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  const running: RunningApp[] = [];

  /** Backstop with credit-limit on `partitions` partitions; `workers: false` serves the API only. */
  async function start(partitions: number, workers = true) {
    const app = await startBackstopApp({
      databaseUrl: db.url,
      alertTo: ['ops@example.com'],
      mail: { smtpUrl: smtp.url },
      runtime: { pollIntervalMs: 100, enabled: workers, partitions: { 'credit-limit': partitions } },
    });
    running.push(app);
    return { app, http: httpClient(app.url) };
  }
  const stop = async (app: RunningApp) => {
    running.splice(running.indexOf(app), 1);
    await app.close();
  };

  /** 12 customers with a limit of 1000 and three orders of 200: doubled, 1200 would breach. */
  async function seed(http: ReturnType<typeof httpClient>) {
    for (const id of CUSTOMERS) {
      expect(
        (await http.post('/customers', { id, name: id, email: `${id}@example.com`, creditLimit: 1000 })).status,
      ).toBe(201);
      for (let n = 1; n <= 3; n++)
        expect((await http.post('/orders', { id: `${id}-${n}`, customerId: id, total: 200 })).status).toBe(201);
    }
  }
  async function addOrders(http: ReturnType<typeof httpClient>, suffix: string, total: number) {
    for (const id of CUSTOMERS)
      expect((await http.post('/orders', { id: `${id}-${suffix}`, customerId: id, total })).status).toBe(201);
  }

  /** Every customer's saga state counts each order once: exposure and orders seen equal the real ones. */
  async function expectStateMatchesOrders() {
    const states = await sql.query(
      `SELECT key, (state->>'exposure')::int AS exposure, (state->>'created')::int AS orders
         FROM saga_states WHERE saga = 'credit-limit' ORDER BY key`,
    );
    const real = await sql.query(
      `SELECT customer_id AS key, coalesce(sum(total - discount) FILTER (WHERE status = 'open'), 0)::int
        AS exposure, count(*)::int AS orders
         FROM orders GROUP BY customer_id ORDER BY customer_id`,
    );
    expect(states).toEqual(real);
  }
  const partitionRows = async () =>
    (await sql.query(`SELECT partition FROM saga_partitions WHERE saga = 'credit-limit' ORDER BY partition`)).map(
      (r: { partition: number }) => r.partition,
    );
  const violations = async () => sql.query(`SELECT key, status FROM violations ORDER BY detected_at`);
  const held = async () =>
    (await sql.query(`SELECT id FROM orders WHERE status = 'on_hold' ORDER BY id`)).map((r: { id: string }) => r.id);

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    smtp = await new SmtpSink().start();
  });
  afterEach(async () => {
    for (const app of running.splice(0)) await app.close().catch(() => undefined);
    await smtp.stop();
    await sql.destroy();
    await db.drop();
  });

  it(
    'refuses a start with another count than the stored one, naming ' +
      'the saga, both counts and the command; the state stays right',
    async () => {
      const first = await start(4);
      await seed(first.http);
      await quiescent(sql);
      await stop(first.app);

      const attempt = await start(8).then(
        (started) => ({ started }),
        (error: Error) => ({ error }),
      );
      if ('started' in attempt) {
        await quiescent(sql);
        await stop(attempt.started.app);
      }
      await expectStateMatchesOrders();
      expect(await violations()).toEqual([]);
      expect(await partitionRows()).toEqual([0, 1, 2, 3]);
      expect('error' in attempt ? attempt.error.message : 'it started').toMatch(
        /saga credit-limit is configured with 8 partitions, but the database stores 4[\s\S]*npm run sagas:repartition -- --saga credit-limit --partitions 8/,
      );
    },
  );

  it('the built service does not start with a mismatched SAGA_PARTITIONS', async () => {
    const first = await start(4);
    await first.http.post('/customers', { id: 'solo', name: 'Solo', email: 'solo@example.com', creditLimit: 10 });
    await stop(first.app);

    const service = spawnService({ DATABASE_URL: db.url, PORT: '0', SAGA_PARTITIONS: 'credit-limit=8' }, tmpdir());
    try {
      const outcome = await Promise.race([
        service.exited.then(() => 'exited'),
        waitForListening(service).then(
          () => 'listening',
          () => 'exited',
        ),
      ]);
      expect(outcome).toBe('exited');
      expect((await service.exited).code).toBe(1);
      expect(service.output()).toContain(
        'saga credit-limit is configured with 8 partitions, but the database stores 4',
      );
      expect(service.output()).toContain('npm run sagas:repartition -- --saga credit-limit --partitions 8');
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it(
    'moves credit-limit from 4 to 8 partitions and back under existing ' +
      'state; a breach after each move is detected exactly once',
    async () => {
      expect(MOVED.length).toBeGreaterThanOrEqual(2);
      const [firstBreach, secondBreach] = MOVED;
      const first = await start(4);
      await seed(first.http);
      await quiescent(sql);
      await stop(first.app);
      // Appended while no worker runs: the old partitions are behind, and the command must fold these in first.
      const api = await start(4, false);
      await addOrders(api.http, 'b', 100);
      await stop(api.app);

      const up = await runRepartition(db.url, ['--saga', 'credit-limit', '--partitions', '8']);
      expect(up).toMatchObject({ code: 0, output: expect.stringContaining('credit-limit: 4 -> 8 partitions') });
      expect(await partitionRows()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      await expectStateMatchesOrders();

      const eight = await start(8);
      expect((await eight.http.put(`/customers/${firstBreach}/credit-limit`, { creditLimit: 650 })).status).toBe(200);
      await quiescent(sql);
      expect(await violations()).toEqual([{ key: firstBreach, status: 'resolved' }]);
      expect(await held()).toEqual([`${firstBreach}-b`]);
      await expectStateMatchesOrders();
      await eventually(() => expect(smtp.mails).toHaveLength(2));
      await addOrders(eight.http, 'c', 50);
      await stop(eight.app);

      const down = await runRepartition(db.url, ['--saga', 'credit-limit', '--partitions', '4']);
      expect(down).toMatchObject({ code: 0, output: expect.stringContaining('credit-limit: 8 -> 4 partitions') });
      expect(await partitionRows()).toEqual([0, 1, 2, 3]);
      await expectStateMatchesOrders();

      const four = await start(4);
      expect((await four.http.put(`/customers/${secondBreach}/credit-limit`, { creditLimit: 700 })).status).toBe(200);
      await quiescent(sql);
      expect(await violations()).toEqual([
        { key: firstBreach, status: 'resolved' },
        { key: secondBreach, status: 'resolved' },
      ]);
      expect(await held()).toEqual([`${firstBreach}-b`, `${secondBreach}-c`].sort());
      await expectStateMatchesOrders();
      await eventually(() => expect(smtp.byAlert('opened')).toHaveLength(2));
      expect(smtp.mails).toHaveLength(4);
    },
    120_000,
  );

  it('moves a parked key along with its partition, so its later events still wait behind its head', async () => {
    const [parked] = MOVED;
    const first = await start(4);
    await seed(first.http);
    await quiescent(sql);
    await stop(first.app);
    const [head] = await sql.query(
      `SELECT transaction_id AS txid, position FROM event_log WHERE stream_id = $1 ORDER BY position LIMIT 1`,
      [`order-${parked}-3`],
    );
    await sql.query(
      `INSERT INTO saga_parked_keys (saga, key, partition, head_txid, head_position, head_event_id, error, failures)
       VALUES ('credit-limit', $1, $2, $3, $4, gen_random_uuid(), 'Error: poison', 5)`,
      [parked, partitionOf(parked, 4), head.txid, head.position],
    );

    expect((await runRepartition(db.url, ['--saga', 'credit-limit', '--partitions', '8'])).code).toBe(0);
    const [row] = await sql.query(`SELECT partition FROM saga_parked_keys WHERE saga = 'credit-limit' AND key = $1`, [
      parked,
    ]);
    expect(row.partition).toBe(partitionOf(parked, 8));
    expect(row.partition).not.toBe(partitionOf(parked, 4));
  }, 120_000);

  it(
    'an instance left with a count that is no longer the stored one (frozen ' +
      'through a repartition) steps aside, so the other takes every partition',
    async () => {
      const instance = async (instanceId: string, partitions: number) => {
        const app = await startBackstopApp({
          databaseUrl: db.url,
          runtime: { instanceId, pollIntervalMs: 100, partitions: { 'credit-limit': partitions } },
        });
        running.push(app);
        return app;
      };
      const owners = async () =>
        (await sql.query(`SELECT owner FROM saga_partitions WHERE saga = 'credit-limit' ORDER BY partition`)).map(
          (row: { owner: string | null }) => row.owner,
        );
      await instance('stale', 4);
      await eventually(async () => expect(await owners()).toEqual(['stale', 'stale', 'stale', 'stale']));
      // What the command leaves behind while 'stale' does not run: eight rows and a stored count of 8.
      await sql.transaction(async (tx) => {
        await tx.query(`DELETE FROM saga_partitions WHERE saga = 'credit-limit'`);
        await tx.query(
          `INSERT INTO saga_partitions (saga, partition) SELECT 'credit-limit', p FROM generate_series(0, 7) AS p`,
        );
        await tx.query(`UPDATE saga_partition_counts SET partitions = 8 WHERE saga = 'credit-limit'`);
      });
      await instance('current', 8);
      await eventually(async () => expect(await owners()).toEqual(Array(8).fill('current')), { timeoutMs: 30_000 });
      expect(await sql.query(`SELECT instance_id FROM saga_instances ORDER BY instance_id`)).toEqual([
        { instance_id: 'current' },
      ]);
    },
    60_000,
  );

  it(
    'refuses while an instance is alive or a partition is stopped, ' +
      'exits 2 on bad arguments and 0 when the count is already right',
    async () => {
      const live = await start(4);
      await seed(live.http);
      await quiescent(sql);
      const refused = await runRepartition(db.url, ['--saga', 'credit-limit', '--partitions', '8']);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/instances? (is|are) running on this database[\s\S]*stop/i);
      expect(await partitionRows()).toEqual([0, 1, 2, 3]);
      await stop(live.app);

      // In process from here (an API-only app's SagaRepartitioner): each run of the script boots a whole app.
      const api = await start(4, false);
      const repartitioner = api.app.app.get(SagaRepartitioner);
      // A stopped partition cannot reach the horizon without skipping its failed event.
      await sql.query(
        `UPDATE saga_partitions SET status = 'stopped', failed_position = 7, last_error = 'boom'
        WHERE saga = 'credit-limit' AND partition = 2`,
      );
      const stopped = await repartitioner.repartition('credit-limit', 8).catch((error: Error) => error);
      expect(stopped).toBeInstanceOf(RepartitionRefusedError);
      expect((stopped as Error).message).toContain('credit-limit/2 at position 7: boom');
      expect((stopped as Error).message).toContain('POST /sagas/credit-limit/partitions/<partition>/resume');
      expect(await partitionRows()).toEqual([0, 1, 2, 3]);
      await sql.query(`UPDATE saga_partitions SET status = 'running' WHERE saga = 'credit-limit'`);
      await expect(repartitioner.repartition('no-such-saga', 8)).rejects.toThrow(RepartitionUsageError);
      await stop(api.app);

      expect((await runRepartition(db.url, ['--saga', 'credit-limit', '--partitions', '0'])).code).toBe(2);
      const same = await runRepartition(db.url, ['--saga', 'credit-limit', '--partitions', '4']);
      expect(same).toMatchObject({ code: 0, output: expect.stringContaining('already has 4 partitions') });
    },
  );
});
