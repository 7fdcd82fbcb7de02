import { DataSource } from 'typeorm';

// Arbitrary but fixed: the advisory lock that serializes migration runs.
const MIGRATION_LOCK = 0x6261636b; // "back"

/**
 * Applies pending migrations while holding a session advisory lock, so that
 * several instances starting at once against one database do not race to
 * apply the same migration.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
