import { CommandBus } from '@nestjs/cqrs';
import { DataSource, QueryRunner } from 'typeorm';
import { HoldOrderCommand } from '../../src/orders/hold-order';
import { eventually } from '../../src/testing/eventually';
import { ApiFixture, startApi } from '../support/api-fixture';

/** A second PostgreSQL session with a transaction held open. */
async function session(sql: DataSource): Promise<QueryRunner> {
  const runner = sql.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  return runner;
}

async function waitingOn(sql: DataSource, pattern: string): Promise<void> {
  await eventually(
    async () => {
      const [{ n }] = await sql.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [pattern],
      );
      expect(n).toBeGreaterThanOrEqual(1);
    },
    { timeoutMs: 20_000 },
  );
}

const versionsInLogOrder = async (sql: DataSource, streamId: string) =>
  (
    await sql.query(`SELECT stream_version FROM event_log WHERE stream_id = $1 ORDER BY transaction_id, position`, [
      streamId,
    ])
  ).map((row: { stream_version: number }) => row.stream_version) as number[];

/**
 * A saga's HoldOrder starts while a user's ChangeOrderTotal on the same
 * order is under way, waits to load the order until the change has
 * committed, then appends the next version. The log must still order v2
 * before v3: the hold may take no transaction id (write nothing) before it
 * loads the order.
 *
 * The interleaving is forced with locks, whether or not the change runs in a
 * transaction of its own: `gate` blocks appends to the event log, so the
 * change reads the order and stops in its write statement, which already
 * holds its lock on the orders table (taken before the event log's, and not
 * yet a transaction id); `queue` then asks for the orders table exclusively,
 * which queues every later reader of the table (the hold's load) behind it.
 * When the gate opens, the change commits, then the queue, then the hold.
 */
describe.each(['react', 'prevent'] as const)('a stream under the %s strategy', (strategy) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await startApi({ runtime: { enabled: false }, invariants: { 'credit-limit': { strategy } } });
    await api.http.post('/customers', { id: 'cu', name: 'Cu', email: 'cu@example.com', creditLimit: 10_000 });
    expect((await api.http.post('/orders', { id: 'o', customerId: 'cu', total: 100 })).status).toBe(201);
  });
  afterAll(() => api.close());

  it("keeps its versions in log order when a user's command commits while a saga's command is under way", async () => {
    const gate = await session(api.sql);
    const queue = await session(api.sql);
    try {
      await gate.query('LOCK TABLE event_log IN SHARE ROW EXCLUSIVE MODE');
      const change = api.http.put('/orders/o/total', { total: 200 });
      await waitingOn(api.sql, '%INSERT INTO event_log%');

      const queued = queue.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
      await waitingOn(api.sql, 'LOCK TABLE orders%');
      const hold = api.app.app
        .get(CommandBus)
        .execute(new HoldOrderCommand('o', 'test', undefined, { commandId: `hold-o-${strategy}` }));
      await waitingOn(api.sql, 'SELECT % FROM orders WHERE id = $1');

      await gate.commitTransaction();
      expect((await change).status).toBe(200);
      await queued;
      await queue.commitTransaction();
      await hold;
    } finally {
      for (const runner of [gate, queue]) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }

    expect((await api.http.get('/orders/o')).body).toMatchObject({ total: 200, status: 'on_hold', version: 3 });
    expect(await versionsInLogOrder(api.sql, 'order-o')).toEqual([1, 2, 3]);
  });
});
