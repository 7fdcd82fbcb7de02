import { createHash } from 'node:crypto';

/**
 * Stable hash of a key onto a partition: the first 32 bits of its MD5, the
 * same function PARTITION_SQL computes in the database, so a partition can
 * skip other partitions' events before they leave PostgreSQL.
 */
export function partitionOf(key: string, partitions: number): number {
  return parseInt(createHash('md5').update(key).digest('hex').slice(0, 8), 16) % partitions;
}

/** partitionOf in SQL, for a key expression `$KEY`. */
export const PARTITION_SQL = `(('x' || lpad(substr(md5($KEY), 1, 8), 16, '0'))::bit(64)::bigint % $PARTITIONS)`;
