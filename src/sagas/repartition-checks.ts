import { EntityManager } from 'typeorm';
import { Checkpoint } from '../event-log/event-log.types';

/** The command would be unsafe or cannot finish: nothing was changed. Exit 1. */
export class RepartitionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepartitionRefusedError';
  }
}

/** The command was called wrongly (unknown saga, bad count). Exit 2. */
export class RepartitionUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepartitionUsageError';
  }
}

/** An instance counts as alive this long after its last heartbeat: the takeover delay of a dead one. */
export const LIVE_WINDOW_SECONDS = 30;

/**
 * A running worker would keep processing with the old count while the rows
 * change under it, so the command runs only when none is left. Instances
 * heartbeat every second and delete their row on a clean stop; a crashed
 * one counts until its heartbeat is LIVE_WINDOW_SECONDS old.
 */
export async function refuseWhileInstancesRun(db: EntityManager): Promise<void> {
  const live: { instance_id: string; seconds: number }[] = await db.query(
    `SELECT instance_id, floor(extract(epoch FROM now() - heartbeat_at))::int AS seconds
       FROM saga_instances WHERE heartbeat_at > now() - make_interval(secs => $1) ORDER BY instance_id`,
    [LIVE_WINDOW_SECONDS],
  );
  if (live.length === 0) return;
  const names = live.map((row) => `${row.instance_id} (heartbeat ${row.seconds} s ago)`).join(', ');
  throw new RepartitionRefusedError(
    `${live.length} Backstop ${live.length === 1 ? 'instance is' : 'instances are'} ` +
      `running on this database with workers: ${names}. ` +
      `Stop every instance first (a crashed one counts until ${LIVE_WINDOW_SECONDS} ` +
      `s after its last heartbeat), then run the command again.`,
  );
}

/**
 * The commit-safe end of the log right now: the last event of a transaction
 * older than every one still running. Nothing can ever be appended at or
 * before it, so partitions that start there miss nothing and repeat nothing.
 */
export async function currentHorizon(db: EntityManager): Promise<Checkpoint> {
  const [row] = await db.query(
    `SELECT transaction_id::text AS txid, position FROM event_log
      WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY transaction_id DESC, position DESC LIMIT 1`,
  );
  return row ? { transactionId: row.txid, position: Number(row.position) } : { transactionId: '0', position: 0 };
}

export const sameCheckpoint = (a: Checkpoint, b: Checkpoint) =>
  BigInt(a.transactionId) === BigInt(b.transactionId) && a.position === b.position;

export const isAfter = (a: Checkpoint, b: Checkpoint) =>
  BigInt(a.transactionId) > BigInt(b.transactionId) ||
  (BigInt(a.transactionId) === BigInt(b.transactionId) && a.position > b.position);
