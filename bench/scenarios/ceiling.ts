import { Pool } from 'pg';
import { BenchServer } from '../lib/server';

/**
 * Scenario 3: what PostgreSQL itself sustains on this machine for one
 * single-row insert transaction, from a pool of 32 connections.
 */
export async function insertCeiling(server: BenchServer, seconds: number): Promise<number> {
  const db = await server.freshDatabase('ceiling');
  try {
    await db.sql.query(
      `CREATE TABLE scratch (id bigserial PRIMARY KEY, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    // A plain pg pool: the figure is PostgreSQL's, not an ORM's.
    const pool = new Pool({ connectionString: db.url, max: 32 });
    pool.on('error', () => undefined); // idle clients closed by the final DROP DATABASE
    const deadline = Date.now() + seconds * 1000;
    let inserts = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (Date.now() < deadline) {
          await pool.query(`INSERT INTO scratch (payload) VALUES ($1)`, [{ customerId: 'hot', total: 100 }]);
          inserts++;
        }
      }),
    );
    const rate = inserts / ((performance.now() - started) / 1000);
    await pool.end();
    return rate;
  } finally {
    await db.drop();
  }
}
