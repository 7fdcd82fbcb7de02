import { DataSource } from 'typeorm';

export type RetentionKind = 'command_ids' | 'outbox' | 'mail' | 'violations';

/**
 * One batch of one kind: deletes at most `limit` rows older than `days` and
 * answers how many went. Every statement reads its victims from the oldest
 * end of a partial index, and skips rows another session holds (an outbox
 * worker, another instance's pass) instead of waiting for them.
 */
type Batch = (dataSource: DataSource, days: number, limit: number) => Promise<number>;

const deleted = (result: unknown) => (result as [unknown[], number])[1] ?? 0;

// An id whose outbox row is still pending stays: the command may have run
// without being marked done (a crash in between), and its retry must find it.
const commandIds: Batch = async (dataSource, days, limit) =>
  deleted(
    await dataSource.query(
      `DELETE FROM executed_commands WHERE command_id IN (
         SELECT e.command_id FROM executed_commands e
          WHERE e.executed_at < now() - make_interval(days => $1)
            AND NOT EXISTS (SELECT 1 FROM command_outbox o WHERE o.command_id = e.command_id AND o.status = 'pending')
          ORDER BY e.executed_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [days, limit],
    ),
  );

const outbox: Batch = async (dataSource, days, limit) =>
  deleted(
    await dataSource.query(
      `DELETE FROM command_outbox WHERE command_id IN (
         SELECT command_id FROM command_outbox
          WHERE status <> 'pending' AND done_at < now() - make_interval(days => $1)
          ORDER BY done_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         AND status <> 'pending'`,
      [days, limit],
    ),
  );

const mail: Batch = async (dataSource, days, limit) =>
  deleted(
    await dataSource.query(
      `DELETE FROM mail_outbox WHERE message_id IN (
         SELECT message_id FROM mail_outbox
          WHERE status = 'sent' AND sent_at < now() - make_interval(days => $1)
          ORDER BY sent_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         AND status = 'sent'`,
      [days, limit],
    ),
  );

// A resolved violation goes with its reactions (outbox rows), in one
// statement; its events stay in the log. One whose alert or compensation is
// still pending waits for it, so that nothing pending loses its violation.
const violations: Batch = async (dataSource, days, limit) => {
  const [rows] = await dataSource.query(
    `WITH doomed AS (
       SELECT v.id FROM violations v
        WHERE v.status = 'resolved' AND v.resolved_at < now() - make_interval(days => $1)
          AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.violation_id = v.id AND m.status = 'pending')
          AND NOT EXISTS (SELECT 1 FROM command_outbox c WHERE c.payload->>'violationId' = v.id::text AND c.status = 'pending')
        ORDER BY v.resolved_at LIMIT $2 FOR UPDATE OF v SKIP LOCKED),
     mails AS (DELETE FROM mail_outbox m USING doomed d WHERE m.violation_id = d.id AND m.status <> 'pending'),
     commands AS (DELETE FROM command_outbox c USING doomed d WHERE c.payload->>'violationId' = d.id::text AND c.status <> 'pending')
     DELETE FROM violations v USING doomed d WHERE v.id = d.id RETURNING v.id`,
    [days, limit],
  );
  return (rows as unknown[]).length;
};

export const RETENTION_BATCHES: Record<RetentionKind, Batch> = { command_ids: commandIds, outbox, mail, violations };
