import { EntityManager } from 'typeorm';
import { Checkpoint } from '../event-log/event-log.types';

export interface PartitionRow {
  saga: string;
  partition: number;
  checkpoint: Checkpoint;
  status: 'running' | 'stopped';
  failures: number;
  lastError: string | null;
  failedPosition: number | null;
  owner: string | null;
  heartbeatAt: Date | null;
  leaseExpiresAt: Date | null;
  leaseEpoch: number;
  eventsProcessed: number;
}

/** Who may write for a partition: its lease's owner, under that lease's epoch (see PartitionLeases). */
export interface LeaseFence {
  owner: string;
  epoch: number;
}

/** Another instance moved the checkpoint or took the lease: this one lost the partition. */
export class PartitionLostError extends Error {}

/** clock_timestamp(), not now(): a batch's transaction may have started long before its commit. */
const underLease = (owner: number, epoch: number) =>
  `owner = $${owner} AND lease_epoch = $${epoch} AND lease_expires_at > clock_timestamp()`;

const PARTITION_COLUMNS = `saga, partition, checkpoint_txid::text AS txid, checkpoint_position, status, failures,
  last_error, failed_position, owner, heartbeat_at, lease_expires_at, lease_epoch, events_processed`;

function toPartition(row: Record<string, any>): PartitionRow {
  return {
    saga: row.saga,
    partition: row.partition,
    checkpoint: { transactionId: row.txid, position: Number(row.checkpoint_position) },
    status: row.status,
    failures: row.failures,
    lastError: row.last_error,
    failedPosition: row.failed_position === null ? null : Number(row.failed_position),
    owner: row.owner,
    heartbeatAt: row.heartbeat_at,
    leaseExpiresAt: row.lease_expires_at,
    leaseEpoch: Number(row.lease_epoch),
    eventsProcessed: Number(row.events_processed),
  };
}

/** SQL for checkpoints (per-key state is StateStore's); always in the caller's transaction. */
export const sagaStore = {
  async ensurePartitions(db: EntityManager, saga: string, partitions: number): Promise<void> {
    await db.query(
      `INSERT INTO saga_partitions (saga, partition) SELECT $1, p FROM generate_series(0, $2 - 1) AS p
       ON CONFLICT DO NOTHING`,
      [saga, partitions],
    );
  },

  async partition(db: EntityManager, saga: string, partition: number): Promise<PartitionRow> {
    const [row] = await db.query(
      `SELECT ${PARTITION_COLUMNS} FROM saga_partitions WHERE saga = $1 AND partition = $2`,
      [saga, partition],
    );
    return toPartition(row);
  },

  async partitions(db: EntityManager, saga?: string): Promise<PartitionRow[]> {
    const rows = await db.query(
      `SELECT ${PARTITION_COLUMNS} FROM saga_partitions WHERE $1::text IS NULL OR saga = $1 ORDER BY saga, partition`,
      [saga ?? null],
    );
    return rows.map(toPartition);
  },

  /**
   * Compare-and-set, fenced: fails when another instance advanced the partition
   * first, or when the caller's lease has expired or been taken, so an
   * instance that lost its partition (frozen, cut off) commits nothing for it.
   * The row lock this takes orders the commit before any takeover.
   */
  async advance(
    tx: EntityManager,
    saga: string,
    partition: number,
    from: Checkpoint,
    to: Checkpoint,
    processed: number,
    fence: LeaseFence,
  ): Promise<void> {
    const [, updated] = await tx.query(
      `UPDATE saga_partitions
          SET checkpoint_txid = $5::xid8, checkpoint_position = $6, events_processed = events_processed + $7,
              failures = 0, last_error = NULL, failed_position = NULL, updated_at = now()
        WHERE saga = $1 AND partition = $2 AND checkpoint_txid = $3::xid8 AND checkpoint_position = $4
          AND status = 'running'
          AND ${underLease(8, 9)}`,
      [
        saga,
        partition,
        from.transactionId,
        from.position,
        to.transactionId,
        to.position,
        processed,
        fence.owner,
        fence.epoch,
      ],
    );
    if (updated !== 1) throw new PartitionLostError(`${saga}/${partition} moved on elsewhere`);
  },

  /**
   * Counts the failures of the event at `position` (a different event starts
   * again at 1). The runtime parks the event's key once they reach
   * maxFailures; the partition itself never stops on a failure. Fenced like
   * advance: an instance that lost the partition records nothing (undefined).
   */
  async recordFailure(
    db: EntityManager,
    saga: string,
    partition: number,
    position: number,
    error: string,
    fence: LeaseFence,
  ): Promise<PartitionRow | undefined> {
    // TypeORM answers an UPDATE with [rows, count].
    const [[row]] = await db.query(
      `UPDATE saga_partitions
          SET failures = CASE WHEN failed_position = $4 THEN failures + 1 ELSE 1 END,
              last_error = $3, failed_position = $4, updated_at = now()
        WHERE saga = $1 AND partition = $2 AND ${underLease(5, 6)}
        RETURNING ${PARTITION_COLUMNS}`,
      [saga, partition, error.slice(0, 4000), position, fence.owner, fence.epoch],
    );
    return row ? toPartition(row) : undefined;
  },

  /**
   * Locks the partition's row until the end of the transaction: a batch and an
   * admin call on a parked key of the partition take turns, so a batch never
   * skips a key's event on the word of a parking that was just lifted.
   */
  async lockPartition(tx: EntityManager, saga: string, partition: number): Promise<PartitionRow> {
    const [row] = await tx.query(
      `SELECT ${PARTITION_COLUMNS} FROM saga_partitions WHERE saga = $1 AND partition = $2 FOR UPDATE`,
      [saga, partition],
    );
    return toPartition(row);
  },

  async resume(db: EntityManager, saga: string, partition?: number): Promise<number> {
    const [, updated] = await db.query(
      `UPDATE saga_partitions SET status = 'running', failures = 0, updated_at = now()
        WHERE saga = $1 AND ($2::int IS NULL OR partition = $2) AND status = 'stopped'`,
      [saga, partition ?? null],
    );
    return updated;
  },

  /** Records this instance as alive and answers how many instances are (at least 1). */
  async liveInstances(db: EntityManager, instanceId: string): Promise<number> {
    await db.query(
      `INSERT INTO saga_instances (instance_id) VALUES ($1)
       ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()`,
      [instanceId],
    );
    await db.query(`DELETE FROM saga_instances WHERE heartbeat_at < now() - interval '1 minute'`);
    const [{ live }] = await db.query(
      `SELECT count(*)::int AS live FROM saga_instances WHERE heartbeat_at > now() - interval '5 seconds'`,
    );
    return Math.max(1, live);
  },

  async leave(db: EntityManager, instanceId: string): Promise<void> {
    await db.query(`DELETE FROM saga_instances WHERE instance_id = $1`, [instanceId]);
  },
};
