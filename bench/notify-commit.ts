import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EventLogNotifyOff1763701300000 } from '../migrations/1763701300000-event-log-notify-off';
import { AppendNotifier, EVENT_LOG_CHANNEL } from '../src/event-log/append-notifier';
import { benchServer } from './lib/server';
import { median } from './lib/stats';

/**
 * CreateOrder's transaction in pgbench (32 clients), with the old NOTIFY
 * trigger on event_log against the coalesced NOTIFY sent outside the
 * transactions, rounds interleaved in one run. The statements are the
 * command's: the id look-up, limit and exposure in one read, the order row,
 * the event with its stream-version guard, COMMIT. In the "after" rounds an
 * AppendNotifier is asked to notify every millisecond, its worst case.
 *
 *   node dist-tools/bench/notify-commit.js [--seconds 5] [--rounds 3]
 */
const SCRIPT = `\\set c random(1, 1000)
\\set r random(1, 2000000000)
BEGIN;
SELECT 1 FROM orders WHERE id = 'o-' || :client_id || '-' || :r;
SELECT c.credit_limit::text,
  (SELECT coalesce(sum(o.total - o.discount), 0) FROM orders o
    WHERE o.customer_id = 'c-' || :c AND o.status = 'open')::text
  FROM customers c WHERE c.id = 'c-' || :c;
INSERT INTO orders (id, customer_id, total, status, version)
  VALUES ('o-' || :client_id || '-' || :r, 'c-' || :c, 100, 'open', 1) ON CONFLICT DO NOTHING;
INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
  SELECT gen_random_uuid(), 'Order', 'order-o-' || :client_id || '-' || :r, 1, 'OrderCreated',
    jsonb_build_object('orderId', 'o-' || :client_id || '-' || :r, 'customerId', 'c-' || :c, 'total', 100),
    '{}'::jsonb, ARRAY['order:o-' || :client_id || '-' || :r, 'customer:c-' || :c]
  WHERE (SELECT coalesce(max(stream_version), 0) FROM event_log
    WHERE stream_id = 'order-o-' || :client_id || '-' || :r) = 0;
COMMIT;
`;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** Asynchronous: the notifier and the listener of this process must keep running meanwhile. */
async function pgbench(url: string, script: string, seconds: number): Promise<number> {
  const args = ['-n', '-c', '32', '-j', '2', '-T', String(seconds), '-f', script, url];
  const { stdout } = await promisify(execFile)('pgbench', args, { encoding: 'utf8' });
  const tps = /tps = ([\d.]+)/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no tps: ${stdout}`);
  return Number(tps[1]);
}

async function main(): Promise<void> {
  const seconds = option('seconds', 5);
  const rounds = option('rounds', 3);
  const server = await benchServer();
  const db = await server.freshDatabase('notify');
  const folder = mkdtempSync(join(tmpdir(), 'notify-bench-'));
  const script = join(folder, 'create-order.sql');
  writeFileSync(script, SCRIPT);
  const listener = new Client({ connectionString: db.url });
  const migration = new EventLogNotifyOff1763701300000();
  const runner = db.sql.createQueryRunner();
  try {
    await db.sql.query(
      `INSERT INTO customers (id, name, email, credit_limit, version)
       SELECT 'c-' || i, 'C ' || i, 'c' || i || '@example.com', 1000000000000, 1 FROM generate_series(1, 1000) i`,
    );
    // As in production, someone listens (an instance running sagas).
    let received = 0;
    listener.on('notification', () => received++);
    await listener.connect();
    await listener.query(`LISTEN ${EVENT_LOG_CHANNEL}`);
    const before: number[] = [];
    const after: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await migration.down(runner); // the trigger of old
      received = 0;
      before.push(await pgbench(db.url, script, seconds));
      const fromTrigger = received;
      await migration.up(runner);
      const notifier = new AppendNotifier(db.url, 'bench');
      const asking = setInterval(() => notifier.request(), 1);
      received = 0;
      after.push(await pgbench(db.url, script, seconds));
      clearInterval(asking);
      await notifier.stop();
      console.log(
        `round ${round + 1}: trigger ${before[round].toFixed(0)} tx/s (${fromTrigger} notifications), ` +
          `coalesced ${after[round].toFixed(0)} tx/s (${received} notifications)`,
      );
    }
    const [b, a] = [median(before), median(after)];
    console.log(
      `CreateOrder transactions, pgbench 32 clients, ${rounds} x ${seconds} s each, interleaved: ` +
        `NOTIFY trigger ${b.toFixed(0)} tx/s, coalesced NOTIFY ${a.toFixed(0)} tx/s (x${(a / b).toFixed(2)})`,
    );
  } finally {
    await runner.release();
    await listener.end().catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
    await db.drop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
