import { createHash } from 'node:crypto';

/** A UUID (version 5 layout) derived from a name: the same name, the same id. */
export function deterministicUuid(name: string): string {
  const bytes = createHash('sha1').update(`backstop:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the violation episode of (invariant, key) opened by an event. */
export function episodeId(invariant: string, key: string, openingEventId: string): string {
  return deterministicUuid(`violation|${invariant}|${key}|${openingEventId}`);
}

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
