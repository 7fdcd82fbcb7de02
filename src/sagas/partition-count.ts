import { EntityManager } from 'typeorm';

/** The command that changes a saga's partition count, as the operator types it. */
export const repartitionCommand = (saga: string, partitions: number) =>
  `npm run sagas:repartition -- --saga ${saga} --partitions ${partitions}`;

/** This start's count for a saga is not the one its checkpoints were made with. */
export class PartitionCountMismatchError extends Error {
  constructor(
    readonly saga: string,
    readonly stored: number,
    readonly configured: number,
  ) {
    super(
      `saga ${saga} is configured with ${configured} partitions, but the database stores ${stored}. ` +
        `A key's partition is its hash modulo the count, so with another count keys would move onto partitions ` +
        `whose checkpoints do not match their state: events would ` +
        `be counted twice or skipped. Backstop refuses to start. ` +
        `To change the count, stop every instance and run: ${repartitionCommand(saga, configured)} ` +
        `(see "Changing a saga's partition count" in the README); to keep it, configure ${stored} partitions ` +
        `for ${saga} again (SAGA_PARTITIONS or runtime.partitions).`,
    );
    this.name = 'PartitionCountMismatchError';
  }
}

export const partitionCounts = {
  async stored(db: EntityManager, saga: string, lock = false): Promise<number | undefined> {
    const [row] = await db.query(
      `SELECT partitions FROM saga_partition_counts WHERE saga = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [saga],
    );
    return row?.partitions;
  },

  /**
   * The first start of a saga stores its count; every later start must bring
   * the same one. Concurrent first starts agree on whichever committed first.
   */
  async claim(db: EntityManager, saga: string, configured: number): Promise<void> {
    await db.query(
      `INSERT INTO saga_partition_counts (saga, partitions) VALUES ($1, $2) ON CONFLICT (saga) DO NOTHING`,
      [saga, configured],
    );
    const stored = await partitionCounts.stored(db, saga);
    if (stored !== configured) throw new PartitionCountMismatchError(saga, stored!, configured);
  },

  async store(db: EntityManager, saga: string, partitions: number): Promise<void> {
    await db.query(
      `INSERT INTO saga_partition_counts (saga, partitions) VALUES ($1, $2)
       ON CONFLICT (saga) DO UPDATE SET partitions = EXCLUDED.partitions, changed_at = now()`,
      [saga, partitions],
    );
  },

  /** The sagas whose stored count is no longer `partitions` (a repartition ran meanwhile), described. */
  async changed(db: EntityManager, sagas: { name: string; partitions: number }[]): Promise<string[]> {
    const stale: string[] = [];
    for (const saga of sagas) {
      const stored = await partitionCounts.stored(db, saga.name);
      if (stored !== undefined && stored !== saga.partitions)
        stale.push(`${saga.name} (${saga.partitions}, stored ${stored})`);
    }
    return stale;
  },
};
