import { DataSource } from 'typeorm';

export type RetentionKind = 'command_ids' | 'outbox' | 'mail' | 'violations';

/**
 * One batch of one kind: deletes at most `limit` rows older than `days` and
 * answers how many went. Every statement reads its victims from the oldest
 * end of a partial index, and skips rows another session holds (an outbox
 * worker, another instance's pass) instead of waiting for them. The victims
 * are handed over as an array (of ctids, locked by the same statement so
 * they cannot move): with `IN (subquery)` the planner may hash-join them
 * against a full scan of the table, the very read that grows with history.
 */
type Batch = (dataSource: DataSource, days: number, limit: number) => Promise<number>;

const deleted = (result: unknown) => (result as [unknown[], number])[1] ?? 0;

// An id whose outbox row is still pending stays: the command may have run
// without being marked done (a crash in between), and its retry must find it.
const commandIds: Batch = async (dataSource, days, limit) =>
  deleted(
    await dataSource.query(
      `DELETE FROM executed_commands WHERE ctid = ANY(ARRAY(
         SELECT e.ctid FROM executed_commands e
          WHERE e.executed_at < now() - $1::float8 * interval '1 day'
            AND NOT EXISTS (SELECT 1 FROM command_outbox o WHERE o.command_id = e.command_id AND o.status = 'pending')
          ORDER BY e.executed_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      [days, limit],
    ),
  );

const outbox: Batch = async (dataSource, days, limit) =>
  deleted(
    await dataSource.query(
      `DELETE FROM command_outbox WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM command_outbox
          WHERE status <> 'pending' AND done_at < now() - $1::float8 * interval '1 day'
          ORDER BY done_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      [days, limit],
    ),
  );

const mail: Batch = async (dataSource, days, limit) =>
  deleted(
    await dataSource.query(
      `DELETE FROM mail_outbox WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM mail_outbox
          WHERE status = 'sent' AND sent_at < now() - $1::float8 * interval '1 day'
          ORDER BY sent_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      [days, limit],
    ),
  );

// A resolved violation goes with its reactions (outbox rows), in one
// statement; its events stay in the log. One whose alert or compensation is
// still pending waits for it, so that nothing pending loses its violation.
const violations: Batch = async (dataSource, days, limit) => {
  const [rows] = await dataSource.query(
    `WITH doomed AS (
       SELECT coalesce(array_agg(id), '{}') AS ids FROM (
         SELECT v.id FROM violations v
          WHERE v.status = 'resolved' AND v.resolved_at < now() - $1::float8 * interval '1 day'
            AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.violation_id = v.id AND m.status = 'pending')
            AND NOT EXISTS (SELECT 1 FROM command_outbox c WHERE c.payload->>'violationId' = v.id::text
              AND c.status = 'pending')
          ORDER BY v.resolved_at LIMIT $2 FOR UPDATE OF v SKIP LOCKED) batch),
     mails AS (DELETE FROM mail_outbox WHERE violation_id = ANY((SELECT ids FROM doomed)::uuid[])
       AND status <> 'pending'),
     commands AS (DELETE FROM command_outbox WHERE payload->>'violationId' = ANY((SELECT ids FROM doomed)::text[])
       AND status <> 'pending')
     DELETE FROM violations WHERE id = ANY((SELECT ids FROM doomed)::uuid[]) RETURNING id`,
    [days, limit],
  );
  return (rows as unknown[]).length;
};

export const RETENTION_BATCHES: Record<RetentionKind, Batch> = { command_ids: commandIds, outbox, mail, violations };
