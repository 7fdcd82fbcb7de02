import { createHash } from 'node:crypto';

/**
 * Stable hash of a key onto a partition: the first 32 bits of its MD5, the
 * same function PARTITION_SQL computes in the database, so a partition can
 * skip other partitions' events before they leave PostgreSQL.
 */
export function partitionOf(key: string, partitions: number): number {
  return hashOf(key) % partitions;
}

/** Recent keys' hashes: a batch meets a key once per event, and an MD5 costs more than a lookup. */
const hashes = new Map<string, number>();
const MAX_HASHES = 10_000;

function hashOf(key: string): number {
  let hash = hashes.get(key);
  if (hash === undefined) {
    hash = parseInt(createHash('md5').update(key).digest('hex').slice(0, 8), 16);
    if (hashes.size >= MAX_HASHES) hashes.clear();
    hashes.set(key, hash);
  }
  return hash;
}

/** partitionOf in SQL, for a key expression `$KEY`. */
export const PARTITION_SQL = `(('x' || lpad(substr(md5($KEY), 1, 8), 16, '0'))::bit(64)::bigint % $PARTITIONS)`;
