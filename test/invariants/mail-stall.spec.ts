import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { quiescent } from '../support/quiescence';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const LEASE_MS = 2_000;
const ALERTS = 6;

/**
 * Guarantee 5 across instances: an SMTP server that accepts connections and
 * then hangs past the outbox lease must not make two instances send one alert.
 */
describe('alert mail through a stalled SMTP server, two instances', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    smtp = await new SmtpSink().start();
    for (const instanceId of ['mail-a', 'mail-b']) {
      apps.push(
        await startBackstopApp({
          databaseUrl: db.url,
          invariants: { 'credit-limit': { reactions: ['alert'] } },
          alertTo: ['ops@example.com'],
          // Every send is cut off well inside the short lease.
          mail: { smtpUrl: smtp.url, connectionTimeoutMs: 300, greetingTimeoutMs: 500, socketTimeoutMs: 700 },
          runtime: { instanceId, pollIntervalMs: 100, outboxLeaseMs: LEASE_MS },
        }),
      );
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await smtp.stop();
    await sql.destroy();
    await db.drop();
  });

  it('delivers each alert exactly once when every connection stalls longer than the lease, then recovers', async () => {
    smtp.stall({ greetingMs: LEASE_MS + 1_500 });
    const http = httpClient(apps[0].url);
    for (let i = 0; i < ALERTS; i++) {
      await http.post('/customers', { id: `c${i}`, name: `C ${i}`, email: `c${i}@example.com`, creditLimit: 100 });
      await http.post('/orders', { id: `o${i}`, customerId: `c${i}`, total: 100 });
    }
    for (let i = 0; i < ALERTS; i++) await http.put(`/customers/c${i}/credit-limit`, { creditLimit: 50 });

    // Stalled long enough that every alert was tried, and leases ran out, while the server hung.
    await eventually(
      async () => {
        const rows = await sql.query(`SELECT status, attempts FROM mail_outbox`);
        expect(rows).toHaveLength(ALERTS);
        for (const row of rows) expect(row.status === 'sent' || row.attempts >= 2).toBe(true);
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    smtp.stall({});

    await quiescent(sql, undefined, 90_000);
    const ids = (await sql.query(`SELECT message_id FROM mail_outbox`)).map(
      (row: { message_id: string }) => row.message_id,
    );
    const counts = smtp.countsByMessageId();
    expect(counts).toEqual(Object.fromEntries(ids.map((id: string) => [id, 1])));
  }, 180_000);
});
