import { DataSource } from 'typeorm';
import { EventLogService } from '../src/event-log/event-log.service';
import { partitionOf } from '../src/event-log/partition';
import { OutputWriter } from '../src/sagas/output-writer';
import { partitionCounts } from '../src/sagas/partition-count';
import { PartitionLeases } from '../src/sagas/partition-leases';
import { PartitionProcessor } from '../src/sagas/partition-processor';
import { SagaRegistry } from '../src/sagas/saga-registry';
import { sagaStore } from '../src/sagas/saga-store';
import { startBackstopApp } from '../test/support/backstop-app';
import { benchServer } from './lib/server';
import { median, round } from './lib/stats';

/**
 * One hot customer with many open orders, then OrderCreated events for it
 * processed a batch at a time: the WAL bytes each batch writes and how long
 * it takes, measured around PartitionProcessor.run with the runtime off
 * (pg_walinspect, which needs a superuser).
 *
 *   node dist-tools/bench/large-state.js [--orders 5000] [--batches 30] [--per-batch 1]
 */
function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const KEY = 'hot';

async function appendOrders(sql: DataSource, from: number, count: number): Promise<void> {
  await sql.query(
    `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
     SELECT id, 'Order', 'order-' || $1 || '-' || o, 1, 'OrderCreated',
            jsonb_build_object('orderId', $1 || '-' || o, 'customerId', $1::text, 'total', 100),
            jsonb_build_object('eventId', id), ARRAY['customer:' || $1]
       FROM (SELECT gen_random_uuid() AS id, o FROM generate_series($2::int, $3::int) AS o) s`,
    [KEY, from, from + count - 1],
  );
}

async function main(): Promise<void> {
  const orders = option('orders', 5000);
  const batches = option('batches', 30);
  const perBatch = option('per-batch', 1);
  const server = await benchServer();
  const db = await server.freshDatabase('large_state');
  const app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } });
  const leases = new PartitionLeases(db.url, 'large-state-bench', 600_000, () => undefined);
  try {
    const saga = app.app.get(SagaRegistry).get('credit-limit')!;
    const processor = new PartitionProcessor(db.sql, new EventLogService(db.sql), app.app.get(OutputWriter));
    const partition = partitionOf(KEY, saga.partitions);
    await partitionCounts.claim(db.sql.manager, saga.name, saga.partitions);
    await sagaStore.ensurePartitions(db.sql.manager, saga.name, saga.partitions);
    if (!(await leases.tryAcquire(saga.name, partition, saga.partitions))) throw new Error('no lease');
    const run = () => processor.run(saga, partition, 500, leases.fence(saga.name, partition));
    await db.sql.query(
      `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
       VALUES (gen_random_uuid(), 'Customer', 'customer-hot', 1, 'CustomerRegistered',
               jsonb_build_object('customerId', $1::text, 'name', 'Hot', 'email', 'hot@example.com',
                                  'creditLimit', 1000000000000), '{}'::jsonb, ARRAY['customer:hot'])`,
      [KEY],
    );
    await appendOrders(db.sql, 1, orders);
    while ((await run()).kind !== 'idle');
    await db.sql.query(`CREATE EXTENSION IF NOT EXISTS pg_walinspect`);
    const lsn = async () => (await db.sql.query(`SELECT pg_current_wal_lsn()::text AS lsn`))[0].lsn as string;
    const bytes: number[] = [];
    const bare: number[] = [];
    const ms: number[] = [];
    for (let batch = 0; batch < batches; batch++) {
      await appendOrders(db.sql, orders + 1 + batch * perBatch, perBatch);
      const before = await lsn();
      // The first calls may answer idle (a read kept from before the append): only the batch is timed.
      for (let done = 0; done < perBatch;) {
        const started = performance.now();
        const result = await run();
        if (result.kind === 'progress' && result.events > 0) ms.push(performance.now() - started);
        else if (result.kind !== 'idle' && result.kind !== 'progress') throw new Error(`unexpected ${result.kind}`);
        done += result.kind === 'progress' ? result.events : 0;
      }
      // The server is shared: only WAL records of this database count, full-page images apart.
      const [wal] = await db.sql
        .query(
          `SELECT coalesce(sum(record_length), 0)::int AS bytes,
                  coalesce(sum(record_length - fpi_length), 0)::int AS bare
             FROM pg_get_wal_records_info_till_end_of_wal($1)
            WHERE block_ref LIKE '%/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/%'`,
          [before],
        )
        // A busy shared server may recycle the segment before it is read: that batch goes unmeasured.
        .catch((error: Error) => (/already been removed/.test(error.message) ? [undefined] : Promise.reject(error)));
      if (!wal) continue;
      bytes.push(wal.bytes);
      bare.push(wal.bare);
    }
    console.log(
      JSON.stringify({
        orders,
        batches,
        perBatch,
        walBytesPerBatch: median(bytes),
        withoutFullPages: median(bare),
        batchMs: round(median(ms), 2),
      }),
    );
  } finally {
    await leases.releaseAll();
    await app.close();
    await db.drop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
