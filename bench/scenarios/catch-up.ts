import { BenchServer } from '../lib/server';
import { startService } from '../lib/service';
import { sleep } from '../lib/stats';

export interface CatchUpResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

const ORDERS_PER_CUSTOMER = 99;

/**
 * Scenario 5: events appended while no saga runs (one CustomerRegistered
 * and 99 OrderCreated per customer), then the service starts: how fast the
 * credit-limit saga works through the backlog.
 */
export async function catchUp(server: BenchServer, events: number): Promise<CatchUpResult> {
  const db = await server.freshDatabase('catchup');
  try {
    const customers = Math.ceil(events / (ORDERS_PER_CUSTOMER + 1));
    const chunk = 100;
    for (let first = 0; first < customers; first += chunk) {
      const last = Math.min(customers, first + chunk) - 1;
      await db.sql.query(
        `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
         SELECT id, 'Customer', 'customer-cu' || c, 1, 'CustomerRegistered',
                jsonb_build_object('customerId', 'cu' || c, 'name', 'C' || c, 'email', 'c' || c || '@example.com',
                                   'creditLimit', 1000000000000),
                jsonb_build_object('eventId', id), ARRAY['customer:cu' || c]
           FROM (SELECT gen_random_uuid() AS id, c FROM generate_series($1::int, $2::int) AS c) s`,
        [first, last],
      );
      await db.sql.query(
        `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
         SELECT id, 'Order', 'order-cu' || c || '-' || o, 1, 'OrderCreated',
                jsonb_build_object('orderId', 'cu' || c || '-' || o, 'customerId', 'cu' || c, 'total', 100),
                jsonb_build_object('eventId', id), ARRAY['customer:cu' || c, 'order:cu' || c || '-' || o]
           FROM (SELECT gen_random_uuid() AS id, c, o FROM generate_series($1::int, $2::int)
             AS c, generate_series(1, $3::int) AS o) s`,
        [first, last, ORDERS_PER_CUSTOMER],
      );
    }
    const [{ total }] = await db.sql.query(`SELECT count(*)::int AS total FROM event_log`);
    await db.sql.query('ANALYZE event_log');

    const service = await startService(db.url);
    try {
      const deadline = Date.now() + 15 * 60_000;
      let started = 0;
      for (;;) {
        const [{ processed }] = await db.sql.query(
          `SELECT coalesce(sum(events_processed), 0)::int AS processed FROM saga_partitions
            WHERE saga = 'credit-limit'`,
        );
        if (processed > 0 && started === 0) started = performance.now();
        if (processed >= total) break;
        if (Date.now() > deadline) throw new Error(`catch-up stalled at ${processed} of ${total} events`);
        await sleep(50);
      }
      const seconds = (performance.now() - started) / 1000;
      return { events: total, seconds, eventsPerSecond: total / seconds };
    } finally {
      await service.stop();
    }
  } finally {
    await db.drop();
  }
}
