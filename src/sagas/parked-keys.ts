import { EntityManager } from 'typeorm';
import { Checkpoint, RecordedEvent } from '../event-log/event-log.types';
import { KeyedEvent } from './saga-fold';
import { sagaStore } from './saga-store';

/** A key whose events wait behind one the saga could not process. */
export interface ParkedKey {
  saga: string;
  key: string;
  partition: number;
  /** The event that could not be processed: the first of the key's events still waiting. */
  head: Checkpoint & { eventId: string };
  error: string;
  failures: number;
  parkedAt: Date;
  updatedAt: Date;
}

const COLUMNS =
  `saga, key, partition, head_txid::text AS head_txid, head_position, ` +
  `head_event_id, error, failures, parked_at, updated_at`;

function toParked(row: Record<string, any>): ParkedKey {
  return {
    saga: row.saga,
    key: row.key,
    partition: row.partition,
    head: { transactionId: row.head_txid, position: Number(row.head_position), eventId: row.head_event_id },
    error: row.error,
    failures: row.failures,
    parkedAt: row.parked_at,
    updatedAt: row.updated_at,
  };
}

/** SQL for saga_parked_keys; always in the caller's transaction. */
export const parkedKeys = {
  /**
   * A batch's events less those of the partition's parked keys, once some are
   * parked. A parked key's events wait in the log for its retry
   * (ParkedKeyActions). Only the partition loop parks keys, so an answer of
   * none stands; otherwise the partition's row lock orders this batch with a
   * retry that may be unparking a key right now (and writing its state), and
   * both the parked keys and the states are read again behind it.
   */
  async without(tx: EntityManager, saga: string, partition: number, mine: KeyedEvent[]): Promise<KeyedEvent[]> {
    await sagaStore.lockPartition(tx, saga, partition);
    const parked = await parkedKeys.keysOf(tx, saga, partition);
    return mine.filter((item) => !parked.has(item.key));
  },

  async list(db: EntityManager, saga?: string): Promise<ParkedKey[]> {
    const rows = await db.query(
      `SELECT ${COLUMNS} FROM saga_parked_keys WHERE $1::text IS NULL OR saga = $1 ORDER BY saga, parked_at, key`,
      [saga ?? null],
    );
    return rows.map(toParked);
  },

  async keysOf(tx: EntityManager, saga: string, partition: number): Promise<Set<string>> {
    const rows: { key: string }[] = await tx.query(
      `SELECT key FROM saga_parked_keys WHERE saga = $1 AND partition = $2`,
      [saga, partition],
    );
    return new Set(rows.map((row) => row.key));
  },

  /** The parked key, locked until the end of the transaction (an admin call at a time). */
  async lock(tx: EntityManager, saga: string, key: string): Promise<ParkedKey | undefined> {
    const [row] = await tx.query(`SELECT ${COLUMNS} FROM saga_parked_keys WHERE saga = $1 AND key = $2 FOR UPDATE`, [
      saga,
      key,
    ]);
    return row && toParked(row);
  },

  /** Parks a key on its event, and clears the partition's failure count: the partition goes on without it. */
  async park(
    tx: EntityManager,
    saga: string,
    partition: number,
    key: string,
    event: RecordedEvent,
    error: string,
    failures: number,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO saga_parked_keys (saga, key, partition, head_txid, head_position, head_event_id, error, failures)
       VALUES ($1, $2, $3, $4::xid8, $5, $6, $7, $8) ON CONFLICT (saga, key) DO NOTHING`,
      [
        saga,
        key,
        partition,
        event.transactionId,
        event.position,
        event.metadata.eventId,
        error.slice(0, 4000),
        failures,
      ],
    );
    await tx.query(
      `UPDATE saga_partitions SET failures = 0, failed_position = NULL, updated_at = now() WHERE saga = $1
        AND partition = $2`,
      [saga, partition],
    );
  },

  /** A retry failed again: on the same head (one more failure) or on a later event of the key (its new head). */
  async moveHead(tx: EntityManager, saga: string, key: string, event: RecordedEvent, error: string): Promise<void> {
    await tx.query(
      `UPDATE saga_parked_keys
          SET failures = CASE WHEN head_position = $4 AND head_txid = $3::xid8 THEN failures + 1 ELSE 1 END,
              head_txid = $3::xid8, head_position = $4, head_event_id = $5, error = $6, updated_at = now()
        WHERE saga = $1 AND key = $2`,
      [saga, key, event.transactionId, event.position, event.metadata.eventId, error.slice(0, 4000)],
    );
  },

  async recordFailure(db: EntityManager, saga: string, key: string, error: string): Promise<void> {
    await db.query(
      `UPDATE saga_parked_keys SET failures = failures + 1, error = $3, updated_at = now() WHERE saga = $1
        AND key = $2`,
      [saga, key, error.slice(0, 4000)],
    );
  },

  async unpark(tx: EntityManager, saga: string, key: string): Promise<void> {
    await tx.query(`DELETE FROM saga_parked_keys WHERE saga = $1 AND key = $2`, [saga, key]);
  },

  /** Per saga, how many keys are parked. */
  async counts(db: EntityManager): Promise<Map<string, number>> {
    const rows: { saga: string; n: number }[] = await db.query(
      `SELECT saga, count(*)::int AS n FROM saga_parked_keys GROUP BY saga`,
    );
    return new Map(rows.map((row) => [row.saga, row.n]));
  },
};
