import { DataSource } from 'typeorm';

/** The indexes on event_log that no constraint of the log's own needs: each can be left out of a variant. */
export const OPTIONAL_INDEXES: Record<string, { create: string; drop: string }> = {
  event_log_tags: {
    create: 'CREATE INDEX IF NOT EXISTS event_log_tags ON event_log USING gin (tags)',
    drop: 'DROP INDEX IF EXISTS event_log_tags',
  },
  event_log_type_commit_order: {
    create:
      'CREATE INDEX IF NOT EXISTS event_log_type_commit_order ON event_log (event_type, transaction_id, position)',
    drop: 'DROP INDEX IF EXISTS event_log_type_commit_order',
  },
  event_log_commit_order: {
    create: 'CREATE INDEX IF NOT EXISTS event_log_commit_order ON event_log (transaction_id, position)',
    drop: 'DROP INDEX IF EXISTS event_log_commit_order',
  },
  event_log_event_id_key: {
    create: `DO $$ BEGIN
               ALTER TABLE event_log ADD CONSTRAINT event_log_event_id_key UNIQUE (event_id);
             EXCEPTION WHEN duplicate_table THEN NULL; END $$`,
    drop: 'ALTER TABLE event_log DROP CONSTRAINT IF EXISTS event_log_event_id_key',
  },
};

/** A schema to measure: the log as migrated, or with exactly these optional indexes (and the NOTIFY trigger off). */
export interface IndexVariant {
  label: string;
  indexes?: string[];
  notify?: false;
}

export const AS_MIGRATED: IndexVariant = { label: 'as migrated' };

/**
 * For `--indexes`: every optional index, then each one left out in turn. The
 * NOTIFY trigger serializes the commits of appends (PostgreSQL takes one lock
 * for every notifying commit, held through its WAL flush), which hides what an
 * index costs: the variants run without it, beside one with it for reference.
 */
export function indexVariants(): IndexVariant[] {
  const all = Object.keys(OPTIONAL_INDEXES);
  return [
    { label: 'all optional indexes, NOTIFY trigger on', indexes: all },
    { label: 'all optional indexes', indexes: all, notify: false },
    ...all.map((name) => ({
      label: `without ${name}`,
      indexes: all.filter((other) => other !== name),
      notify: false as const,
    })),
  ];
}

export async function applyVariant(sql: DataSource, variant: IndexVariant): Promise<void> {
  if (variant.notify === false) {
    await sql.query(`DO $$ BEGIN
                       IF EXISTS (SELECT FROM pg_trigger WHERE tgname = 'event_log_notify') THEN
                         ALTER TABLE event_log DISABLE TRIGGER event_log_notify;
                       END IF;
                     END $$`);
  }
  if (!variant.indexes) return;
  for (const [name, ddl] of Object.entries(OPTIONAL_INDEXES)) {
    await sql.query(variant.indexes.includes(name) ? ddl.create : ddl.drop);
  }
}

export async function indexesOf(sql: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await sql.query(
    `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'event_log' ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/**
 * A log like a running shop's: per customer one CustomerRegistered, a
 * credit limit change now and then (a rare type) and `ordersPerCustomer`
 * OrderCreated, tagged as the service tags them, in transactions of 100
 * customers. The catch-up and EXPLAIN figures depend on this shape.
 */
export async function fillLog(sql: DataSource, events: number, ordersPerCustomer = 99): Promise<void> {
  const customers = Math.ceil(events / (ordersPerCustomer + 1));
  for (let first = 0; first < customers; first += 100) {
    const last = Math.min(customers, first + 100) - 1;
    await sql.query(
      `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
       SELECT id, 'Customer', 'customer-cu' || c, 1, 'CustomerRegistered',
              jsonb_build_object('customerId', 'cu' || c, 'name', 'C' || c,
                                 'email', 'c' || c || '@example.com', 'creditLimit', 1000000000000),
              jsonb_build_object('eventId', id), ARRAY['customer:cu' || c]
         FROM (SELECT gen_random_uuid() AS id, c FROM generate_series($1::int, $2::int) AS c) s`,
      [first, last],
    );
    await sql.query(
      `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
       SELECT id, 'Order', 'order-cu' || c || '-' || o, 1, 'OrderCreated',
              jsonb_build_object('orderId', 'cu' || c || '-' || o, 'customerId', 'cu' || c, 'total', 100),
              jsonb_build_object('eventId', id), ARRAY['customer:cu' || c, 'order:cu' || c || '-' || o]
         FROM (SELECT gen_random_uuid() AS id, c, o
                 FROM generate_series($1::int, $2::int) AS c, generate_series(1, $3::int) AS o) s`,
      [first, last, ordersPerCustomer],
    );
    if (first % 1000 === 0) {
      await sql.query(
        `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
         VALUES (gen_random_uuid(), 'Customer', 'customer-cu' || $1::int, 2, 'CustomerCreditLimitChanged',
                 jsonb_build_object('customerId', 'cu' || $1::int, 'creditLimit', 500), '{}',
                 ARRAY['customer:cu' || $1::int])`,
        [first],
      );
    }
  }
  await sql.query('ANALYZE event_log');
}
