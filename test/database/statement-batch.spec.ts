import { Client } from 'pg';
import { runBatch } from '../../src/database/statement-batch';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** Several statements in one round trip on a node-postgres client (what prevent's lock + read go out as). */
describe('a statement batch', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('answers each statement in order, named ones prepared once', async () => {
    const batch = [
      { text: 'SELECT $1::int + 1 AS n', values: [1], name: 'batch_spec_plus' },
      { text: 'SELECT $1::text AS s', values: ['x'] },
    ];
    expect(await runBatch(client, batch)).toEqual([[{ n: 2 }], [{ s: 'x' }]]);
    expect(await runBatch(client, batch)).toEqual([[{ n: 2 }], [{ s: 'x' }]]);
  });

  it('fails whole on a value it cannot send, and leaves the connection usable and out of any transaction', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const batch = [
      { text: 'BEGIN', values: [] },
      { text: 'SELECT pg_advisory_xact_lock(42)', values: [] },
      { text: 'SELECT $1::jsonb AS j', values: [circular] },
    ];
    await expect(runBatch(client, batch)).rejects.toThrow(/circular/i);
    const locks = await client.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
    );
    // Nothing was sent: no lock taken, and no transaction open (two statements get two transaction ids).
    const xid = async () => (await client.query(`SELECT pg_current_xact_id()::text AS x`)).rows[0].x as string;
    expect({ locks: locks.rows[0].n, sameTransaction: (await xid()) === (await xid()) }).toEqual({
      locks: 0,
      sameTransaction: false,
    });
  });
});
