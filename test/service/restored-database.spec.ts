import { tmpdir } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database-options';
import { runMigrations } from '../../src/database/run-migrations';
import { runAudit } from '../support/audit-process';
import { SecondCluster, startSecondCluster } from '../support/second-cluster';
import { spawnService } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

async function query<T = Record<string, string>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const nextXid = async (url: string) =>
  BigInt((await query(url, `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`))[0].x);

/**
 * A real second cluster: a fresh embedded PostgreSQL, migrated, into which
 * the log of a database on the suite's server is copied row by row (a
 * logical copy, as a dump restored elsewhere does). The fresh cluster counts
 * transaction ids from a few hundred, the source from far above.
 */
describe('a log copied into another cluster whose transaction ids are behind it', () => {
  let source: TestDatabase;
  let target: SecondCluster;

  beforeAll(async () => {
    target = await startSecondCluster();
    const migrated = await new DataSource(databaseOptions(target.url)).initialize();
    await runMigrations(migrated).finally(() => migrated.destroy());

    source = await createTestDatabase();
    // Make sure the source is ahead, as any cluster that has been in use is.
    const behind = await nextXid(target.url);
    for (let i = 0; (await nextXid(source.url)) <= behind + 100n && i < 5_000; i++) {
      await query(source.url, `SELECT pg_current_xact_id()`);
    }
    await query(
      source.url,
      `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload)
       VALUES (gen_random_uuid(), 'Customer', 'restored', 1, 'CustomerRegistered',
               '{"customerId":"restored","name":"R","email":"r@example.com","creditLimit":1}')`,
    );
    const rows = await query(
      source.url,
      `SELECT event_id, transaction_id::text AS txid, stream_type, stream_id, stream_version, event_type, payload
        FROM event_log`,
    );
    for (const row of rows) {
      await query(
        target.url,
        `INSERT INTO event_log (event_id, transaction_id, stream_type, stream_id, stream_version, event_type, payload)
         VALUES ($1, $2::xid8, $3, $4, $5, $6, $7)`,
        [row.event_id, row.txid, row.stream_type, row.stream_id, row.stream_version, row.event_type, row.payload],
      );
    }
  }, 120_000);

  afterAll(async () => {
    await source?.drop();
    await target?.stop();
  });

  it('is a copy whose log holds ids the new cluster has not handed out yet', async () => {
    const [{ highest }] = await query(target.url, `SELECT max(transaction_id)::text AS highest FROM event_log`);
    expect(BigInt(highest)).toBeGreaterThanOrEqual(await nextXid(target.url));
  });

  it('refuses to start the service, naming the stored and handed-out ids and the repair', async () => {
    const service = spawnService({ DATABASE_URL: target.url, PORT: '0' }, tmpdir());
    const { code } = await service.exited;
    expect(code).not.toBe(0);
    expect(service.output()).toMatch(
      /hands out transaction ids from \d+, but the event log and saga checkpoints already hold transaction id \d+/,
    );
    expect(service.output()).toContain('pg_resetwal -e 0 -x');
  });

  it('makes npm run audit say why instead of auditing', async () => {
    const audit = await runAudit(target.url);
    expect(audit.code).toBe(2);
    expect(audit.output).toContain('was restored or copied into another cluster');
  });
});
