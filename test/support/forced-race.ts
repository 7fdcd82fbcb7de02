import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';

/**
 * Makes a race certain instead of likely: while a transaction holds a lock
 * that blocks appends to the event log, every command reads its last-moment
 * check and then waits; when the lock goes, they all commit on what they
 * read. This is the narrow window minimize-and-react accepts, held open.
 * `blockedOn` says which waiting statements count (under `prevent` all but
 * one wait for the key's advisory lock instead: pass '%').
 */
export async function forcedRace<T>(
  sql: DataSource,
  fire: () => Promise<T>[],
  waitingAtLeast: number,
  blockedOn = '%INSERT INTO event_log%',
): Promise<T[]> {
  const blocker = sql.createQueryRunner();
  await blocker.connect();
  await blocker.startTransaction();
  try {
    await blocker.query('LOCK TABLE event_log IN SHARE ROW EXCLUSIVE MODE');
    const requests = fire();
    await eventually(
      async () => {
        const [{ waiting }] = await sql.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
          [blockedOn],
        );
        expect(waiting).toBeGreaterThanOrEqual(waitingAtLeast);
      },
      { timeoutMs: 20_000 },
    );
    await blocker.commitTransaction();
    return await Promise.all(requests);
  } finally {
    if (blocker.isTransactionActive) await blocker.rollbackTransaction();
    await blocker.release();
  }
}
