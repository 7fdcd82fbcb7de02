import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const LEASE_MS = 6_500;
const MAILS = 8;

/**
 * A slow SMTP server (every greeting 1 s late, within the timeouts):
 * a batch of alerts claimed by one instance takes longer than one lease to
 * send, and the rows waiting their turn must keep their lease meanwhile,
 * so the other instance never takes them.
 */
describe('alert mail through a slow SMTP server, two instances', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    smtp = await new SmtpSink().start();
    for (const instanceId of ['slow-a', 'slow-b']) {
      apps.push(
        await startBackstopApp({
          databaseUrl: db.url,
          // nodemailer's connection and socket timeouts run during the wait for the greeting too.
          mail: { smtpUrl: smtp.url, connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 2_000 },
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

  it('sends every alert of a batch that outlasts the lease once, each on its first claim', async () => {
    smtp.stall({ greetingMs: 1_000 });
    // One statement, so the first instance to poll claims them all as one batch.
    await sql.query(
      `INSERT INTO mail_outbox (message_id, kind, recipients, subject, text_body)
       SELECT '<slow-' || n || '@backstop>', 'opened', ARRAY['ops@example.com'], 'slow ' || n, 'text'
         FROM generate_series(1, $1) n`,
      [MAILS],
    );
    await eventually(
      async () =>
        expect((await sql.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE status = 'sent'`))[0].n).toBe(MAILS),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const rows = await sql.query(`SELECT message_id, attempts, last_error FROM mail_outbox ORDER BY message_id`);
    expect(rows).toEqual(
      rows.map((row: { message_id: string }) => ({ message_id: row.message_id, attempts: 1, last_error: null })),
    );
    await eventually(() => expect(smtp.open).toBe(0));
    expect(smtp.countsByMessageId()).toEqual(
      Object.fromEntries(rows.map((row: { message_id: string }) => [row.message_id, 1])),
    );
  }, 120_000);
});
