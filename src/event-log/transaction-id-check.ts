import { EntityManager } from 'typeorm';

/** The database hands out transaction ids that the log has already used. */
export class TransactionIdsBehindLogError extends Error {
  constructor(
    readonly next: string,
    readonly highest: string,
  ) {
    super(
      `This PostgreSQL cluster hands out transaction ids from ${next}, but the event log and saga checkpoints ` +
        `already hold transaction id ${highest}: the database was restored or copied into another cluster. ` +
        `Every saga would skip every new event, so Backstop refuses to start. Repair: stop the new cluster and ` +
        `move its transaction id counter past the log's with ` +
        `pg_resetwal -e ${BigInt(highest) >> 32n} -x ` +
        `${(BigInt(highest) & 0xffffffffn) + 1_000_000n} <data directory> ` +
        `(see "Restoring a backup" in the README), then start again.`,
    );
    this.name = 'TransactionIdsBehindLogError';
  }
}

/**
 * Readers order the log by the writer's transaction id (xid8), which the
 * cluster hands out. After a dump restored into another cluster, or a
 * logical copy, new transactions get ids below the stored ones: readers and
 * checkpoints would place every new event before what they have already
 * passed, and skip it silently. Refuse instead.
 */
export async function assertTransactionIdsAhead(db: EntityManager): Promise<void> {
  const [row] = await db.query(
    `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next,
            greatest(
              (SELECT transaction_id FROM event_log ORDER BY transaction_id DESC LIMIT 1),
              (SELECT checkpoint_txid FROM saga_partitions ORDER BY checkpoint_txid DESC LIMIT 1)
            )::text AS highest`,
  );
  if (row.highest !== null && BigInt(row.highest) >= BigInt(row.next)) {
    throw new TransactionIdsBehindLogError(row.next, row.highest);
  }
}
