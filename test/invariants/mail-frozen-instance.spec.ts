import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { MailOptions } from '../../src/config/backstop.options';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { ServiceProcess, spawnService, waitForListening } from '../support/service-process';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const LEASE_MS = 2_000;
const SHORT = { connectionTimeoutMs: 300, greetingTimeoutMs: 500, socketTimeoutMs: 700 };
const ROW = `SELECT message_id, status, attempts, locked_until, next_attempt_at, last_error, sent_at FROM mail_outbox`;

/**
 * An instance frozen (SIGSTOP: a paused VM, its sockets stay open) in the
 * middle of a send, past its lease, while another instance takes the row
 * over: once it thaws it must neither finish its send nor write over the row.
 */
describe('alert mail: an instance frozen mid-send past its lease', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  let frozen: ServiceProcess;
  let other: RunningApp | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    smtp = await new SmtpSink().start();
    other = undefined;
  });

  afterEach(async () => {
    frozen.child.kill('SIGCONT');
    frozen.child.kill('SIGTERM');
    await frozen.exited;
    await other?.close();
    await smtp.stop();
    await sql.destroy();
    await db.drop();
  });

  /** The service, in a process of its own, caught waiting for the greeting of the alert's send, and stopped there. */
  async function freezeMidSend(): Promise<void> {
    smtp.stall({ greetingMs: 120_000 });
    frozen = spawnService(
      {
        DATABASE_URL: db.url,
        SMTP_URL: smtp.url,
        SMTP_CONNECTION_TIMEOUT_MS: String(SHORT.connectionTimeoutMs),
        SMTP_GREETING_TIMEOUT_MS: String(SHORT.greetingTimeoutMs),
        SMTP_SOCKET_TIMEOUT_MS: String(SHORT.socketTimeoutMs),
        OUTBOX_LEASE_MS: String(LEASE_MS),
        CREDIT_LIMIT_REACTIONS: 'alert',
        ALERT_TO: 'ops@example.com',
        PORT: '0',
      },
      tmpdir(),
    );
    const http = httpClient(await waitForListening(frozen));
    await http.post('/customers', { id: 'fay', name: 'Fay', email: 'fay@example.com', creditLimit: 100 });
    await http.post('/orders', { id: 'f1', customerId: 'fay', total: 100 });
    await http.put('/customers/fay/credit-limit', { creditLimit: 50 });
    await eventually(() => expect(smtp.open).toBe(1), { timeoutMs: 20_000, intervalMs: 5 });
    frozen.child.kill('SIGSTOP');
  }

  const takeOver = (mail: Omit<MailOptions, 'smtpUrl'>, outboxLeaseMs: number) =>
    startBackstopApp({
      databaseUrl: db.url,
      invariants: { 'credit-limit': { reactions: ['alert'] } },
      alertTo: ['ops@example.com'],
      mail: { smtpUrl: smtp.url, ...mail },
      runtime: { instanceId: 'takes-over', pollIntervalMs: 100, outboxLeaseMs },
    });

  it(
    'thawed after another instance sent the alert: the alert ' +
      'arrived once, and the row stays as that one recorded it',
    async () => {
      await freezeMidSend();
      smtp.stall({});
      other = await takeOver(SHORT, LEASE_MS);
      await eventually(async () => expect((await sql.query(ROW))[0].status).toBe('sent'), { timeoutMs: 20_000 });
      const [sent] = await sql.query(ROW);
      expect(smtp.countsByMessageId()).toEqual({ [sent.message_id]: 1 });

      frozen.child.kill('SIGCONT');
      // Its connection ends one way or the other: by finishing the send, or by cutting it off.
      await eventually(() => expect(smtp.open).toBe(0), { timeoutMs: 20_000 });
      expect(smtp.countsByMessageId()).toEqual({ [sent.message_id]: 1 });
      await eventually(() => expect(frozen.output()).toContain('claimed by another worker meanwhile'), {
        timeoutMs: 20_000,
      });
      expect((await sql.query(ROW))[0]).toEqual(sent);
    },
    120_000,
  );

  it(
    'thawed while another instance is sending the alert: it writes ' +
      'nothing over that instance claim, and the alert arrives once',
    async () => {
      await freezeMidSend();
      // The instance taking over waits long for its greeting, inside a lease of its own long enough for that.
      other = await takeOver(
        { connectionTimeoutMs: 1_000, greetingTimeoutMs: 40_000, socketTimeoutMs: 10_000 },
        60_000,
      );
      await eventually(() => expect(smtp.open).toBe(2), { timeoutMs: 20_000 });
      const [claimed] = await sql.query(ROW);
      expect(claimed).toMatchObject({ status: 'pending', attempts: 2 });

      frozen.child.kill('SIGCONT');
      await eventually(() => expect(smtp.open).toBe(1), { timeoutMs: 20_000 });
      // Until it says it left the row alone, or the row changes under the other instance's claim.
      await eventually(
        async () => {
          const changed = JSON.stringify((await sql.query(ROW))[0]) !== JSON.stringify(claimed);
          expect(changed || frozen.output().includes('claimed by another worker meanwhile')).toBe(true);
        },
        { timeoutMs: 20_000 },
      );
      expect((await sql.query(ROW))[0]).toEqual(claimed);

      smtp.stall({});
      await eventually(
        async () => expect((await sql.query(ROW))[0]).toMatchObject({ status: 'sent', attempts: 2, last_error: null }),
        {
          timeoutMs: 20_000,
        },
      );
      await eventually(() => expect(smtp.open).toBe(0));
      expect(smtp.countsByMessageId()).toEqual({ [claimed.message_id]: 1 });
    },
    120_000,
  );
});
