import { Client } from 'pg';
import { tmpdir } from 'node:os';
import { runAudit } from '../support/audit-process';
import { spawnService } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * A dump restored into another cluster keeps the log's transaction ids while
 * the new cluster hands out lower ones. Here the log is given an event whose
 * transaction id is ten million ahead of this cluster's counter, which is
 * what such a restore looks like from inside the database.
 */
describe('a database restored into a cluster whose transaction ids are behind the log', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO event_log (event_id, transaction_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
         VALUES (gen_random_uuid(), (pg_snapshot_xmax(pg_current_snapshot())::text::bigint + 10000000)::text::xid8,
                 'Customer', 'customer-restored', 1, 'CustomerRegistered',
                 '{"customerId":"restored","name":"R","email":"r@example.com","creditLimit":1}', '{}', '{}')`,
      );
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  it('refuses to start the service, naming the stored and handed-out ids and the repair', async () => {
    const service = spawnService({ DATABASE_URL: db.url, PORT: '0' }, tmpdir());
    const { code } = await service.exited;
    expect(code).not.toBe(0);
    expect(service.output()).toMatch(/hands out transaction ids from \d+, but the event log and saga checkpoints already hold transaction id \d+/);
    expect(service.output()).toContain('pg_resetwal -e 0 -x');
  });

  it('makes npm run audit say why instead of auditing', async () => {
    const audit = await runAudit(db.url);
    expect(audit.code).toBe(2);
    expect(audit.output).toContain('was restored or copied into another cluster');
  });
});
