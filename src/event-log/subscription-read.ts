import { EntityManager } from 'typeorm';
import { PARTITION_SQL } from './partition';
import { Checkpoint, ReadAllResult, RecordedEvent } from './event-log.types';

// The xid8 is read as text under another name: ORDER BY binds an output
// alias before a column, and text order would put "10000" before "9999".
export const EVENT_COLUMNS = `position, transaction_id::text AS txid, stream_type, stream_id, stream_version,
  event_type, payload, metadata, tags, recorded_at`;

/** The columns of EVENT_COLUMNS a read of the place of an event (its position and txid) does without. */
const WIDE_COLUMNS = [
  'stream_type',
  'stream_id',
  'stream_version',
  'event_type',
  'payload',
  'metadata',
  'tags',
  'recorded_at',
];

export interface EventRow {
  position: string;
  txid: string;
  stream_type: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  payload: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  tags: string[];
  recorded_at: Date;
}

export interface SubscriptionFilter {
  /** Event types to read; all when absent. */
  types?: string[];
  /** Only events whose `payload[keyField]` hashes onto one of `of` come back (see partitionOf). */
  partition?: { keyField: string; partitions: number; of: number[] };
}

type ScannedRow = Partial<EventRow> & {
  horizon: string;
  held: boolean;
  tail_txid: string | null;
  tail_position: string | null;
  mine: boolean | null;
  scanned: string | null;
};

/**
 * One statement: the horizon (pg_snapshot_xmin), up to `limit` events after
 * the checkpoint and below it, and the last event of any type below it.
 * With types, each type is scanned in commit order on its own and the scans
 * merged: a type the statistics call rare goes through (event_type,
 * transaction_id, position) and reads none of the others' rows; a dense one
 * may go through the commit order, filtering the few others out. Either
 * way, since a short read moves the checkpoint to the tail, an idle poll
 * reads at most what was appended since the last one, never the history.
 * Of the rows of other partitions only the last one comes back (perhaps
 * before some of ours), for the checkpoint. `held`: committed events wait at
 * or past the horizon (the newest in commit order, one row of its index), so
 * the reader knows to look again soon.
 */
function sql(filter: SubscriptionFilter, untilParam?: number): string {
  // A repartition's horizon: not a single event past it, the tail included.
  const upTo = untilParam
    ? ` AND (transaction_id, position) <= ($${untilParam}::xid8, $${untilParam + 1}::bigint)`
    : '';
  const below = `(transaction_id, position) > ($1::xid8, $2::bigint) AND transaction_id < (SELECT xmin
    FROM horizon)${upTo}`;
  // Per type, an ordered scan (through (event_type, transaction_id, position) when the type is
  // rare, through the commit order when it is dense), merged in commit order: a batch reads about
  // `limit` rows however many types, and a rare type none of the others.
  const scan = filter.types
    ? `SELECT * FROM (${filter.types
        .map(
          (_, i) => `(SELECT ${EVENT_COLUMNS}, transaction_id FROM event_log
            WHERE event_type = ($4::text[])[${i + 1}] AND ${below}
                          ORDER BY transaction_id, position LIMIT $3)`,
        )
        .join(' UNION ALL ')}) u ORDER BY u.transaction_id, u.position LIMIT $3`
    : `SELECT ${EVENT_COLUMNS}, transaction_id FROM event_log WHERE ${below} ORDER BY transaction_id, position
      LIMIT $3`;
  const mine = filter.partition
    ? `coalesce(${PARTITION_SQL.replace('$KEY', 'u.payload->>$5::text').replace('$PARTITIONS', '$6::int')} ` +
      `= ANY($7::int[]), false)`
    : 'true';
  // Other partitions' rows are kept narrow (their columns null): only the last one is wanted, for its place.
  // No window over the rows: sorting and counting wide rows cost many times the scan itself. OFFSET 0
  // keeps `mine` a column: the hash is computed once per row, not once per CASE.
  const wide = WIDE_COLUMNS.map((column) => `CASE WHEN s.mine THEN s.${column} END AS ${column}`).join(', ');
  return `WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
    scanned AS MATERIALIZED (
      SELECT s.position, s.txid, s.transaction_id, s.mine, ${wide}
        FROM (SELECT u.*, ${mine} AS mine FROM (${scan}) u OFFSET 0) s)
    SELECT h.xmin::text AS horizon, tail.txid AS tail_txid, tail.position AS tail_position,
           (SELECT count(*) FROM scanned) AS scanned,
           coalesce((SELECT transaction_id FROM event_log ORDER BY transaction_id DESC, position DESC LIMIT 1)
             >= h.xmin, false) AS held, n.*
      FROM horizon h
      LEFT JOIN LATERAL (
        SELECT transaction_id::text AS txid, position FROM event_log WHERE transaction_id < h.xmin${upTo}
         ORDER BY transaction_id DESC, position DESC LIMIT 1) tail ON true
      LEFT JOIN (
        SELECT * FROM scanned WHERE mine
        UNION ALL
        (SELECT * FROM scanned WHERE NOT mine ORDER BY transaction_id DESC, position DESC LIMIT 1)) n ON true
     ORDER BY n.transaction_id, n.position`;
}

export function isAfter(a: Checkpoint, b: Checkpoint): boolean {
  const [x, y] = [BigInt(a.transactionId), BigInt(b.transactionId)];
  return x > y || (x === y && a.position > b.position);
}

/**
 * Events after `after` in commit-safe order, and the checkpoint to move to.
 * When fewer than `limit` were scanned, every event below the horizon has
 * been seen, so the checkpoint moves to the last one of any type: a saga
 * that subscribes to none of the newer events does not read them again.
 * It is an event, not the horizon itself, so it moves only when events were
 * appended, not with every transaction on the server (a checkpoint write is
 * one).
 */
export async function readSubscription(
  db: EntityManager,
  after: Checkpoint,
  limit: number,
  filter: SubscriptionFilter,
  toEvent: (row: EventRow) => RecordedEvent,
  until?: Checkpoint,
): Promise<ReadAllResult> {
  const { partition } = filter;
  if (partition && !filter.types) throw new Error('a partition read needs its event types');
  const params: unknown[] = [after.transactionId, after.position, limit];
  if (filter.types) params.push(filter.types);
  if (partition) params.push(partition.keyField, partition.partitions, partition.of);
  const untilParam = until ? params.push(until.transactionId, until.position) - 1 : undefined;
  const rows: ScannedRow[] = await db.query(sql(filter, untilParam), params);
  const scanned = rows.filter((row) => row.position !== null && row.position !== undefined);
  const last = scanned[scanned.length - 1];
  let checkpoint = last ? { transactionId: last.txid!, position: Number(last.position) } : after;
  const { tail_txid, tail_position } = rows[0];
  const seenAll = Number(scanned[0]?.scanned ?? 0) < limit;
  if (seenAll && tail_txid !== null) {
    const tail = { transactionId: tail_txid, position: Number(tail_position) };
    if (isAfter(tail, checkpoint)) checkpoint = tail;
  }
  return {
    events: scanned.filter((row) => row.mine).map((row) => toEvent(row as EventRow)),
    checkpoint,
    caughtUp: seenAll,
    held: rows[0].held,
  };
}
