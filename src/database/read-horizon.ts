import { EntityManager } from 'typeorm';

/** The transaction that every commit-safe reader of the log is waiting for. */
export interface ReadHorizon {
  /** Seconds since that transaction began; 0 when nothing holds the horizon back. */
  ageSeconds: number;
  /** Where the server lets us see them (other users' sessions may hide these). */
  database: string | null;
  application: string | null;
  pid: number | null;
  state: string | null;
}

/**
 * Readers return only events of transactions older than the oldest one still
 * running on the whole server (pg_snapshot_xmin), so any session anywhere,
 * other databases included, that holds a transaction id open holds every
 * saga back. This names that session, so an operator can see who it is.
 */
export async function readHorizon(db: EntityManager): Promise<ReadHorizon> {
  const [row] = await db.query(
    `SELECT datname AS database, application_name AS application, pid, state,
            extract(epoch FROM clock_timestamp() - xact_start)::float AS age
       FROM pg_stat_activity
      WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
      ORDER BY age(backend_xid) DESC
      LIMIT 1`,
  );
  if (!row) return { ageSeconds: 0, database: null, application: null, pid: null, state: null };
  return {
    ageSeconds: Math.max(0, Math.round((row.age ?? 0) * 10) / 10),
    database: row.database,
    application: row.application || null,
    pid: row.pid,
    state: row.state,
  };
}
