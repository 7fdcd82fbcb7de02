import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { runAudit } from '../support/audit-process';
import { forcedRace } from '../support/forced-race';
import { httpClient } from '../support/http';
import { quiescent } from '../support/quiescence';
import { ServiceProcess, spawnService, waitForListening } from '../support/service-process';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the service process: audit, and a crash in the middle of a race', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  const services: ServiceProcess[] = [];

  const start = async () => {
    // A short lease, so a crashed instance's rows come back quickly; every SMTP send must fit inside it.
    const mail = {
      SMTP_URL: smtp.url,
      SMTP_CONNECTION_TIMEOUT_MS: '300',
      SMTP_GREETING_TIMEOUT_MS: '500',
      SMTP_SOCKET_TIMEOUT_MS: '1000',
    };
    const service = spawnService(
      { DATABASE_URL: db.url, ...mail, ALERT_TO: 'ops@example.com', PORT: '0', OUTBOX_LEASE_MS: '2000' },
      tmpdir(),
    );
    services.push(service);
    return httpClient(await waitForListening(service));
  };

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    smtp = await new SmtpSink().start();
  });
  afterEach(async () => {
    for (const service of services.splice(0)) {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
    }
    await smtp.stop();
    await sql.destroy();
    await db.drop();
  });

  it("npm run audit passes on a healthy database and names a breach written behind the sagas' back", async () => {
    const http = await start();
    await http.post('/customers', { id: 'fay', name: 'Fay', email: 'fay@example.com', creditLimit: 1000 });
    await http.post('/coupons', { id: 'k', code: 'K', maxUses: 1, discount: 10 });
    await http.post('/orders', { id: 'f1', customerId: 'fay', total: 800 });
    await http.post('/orders/f1/coupon', { couponId: 'k' });
    await quiescent(sql);

    const healthy = await runAudit(db.url);
    expect(healthy.output).toContain(
      'checked 1 customer(s) and 1 coupon(s): 0 breach(es) with an open episode, 0 miss(es), 0 stale episode(s)',
    );
    expect(healthy.code).toBe(0);

    services[0].child.kill('SIGTERM');
    expect((await services[0].exited).code).toBe(0);
    await sql.query(`UPDATE customers SET credit_limit = 500 WHERE id = 'fay'`);
    const broken = await runAudit(db.url);
    expect(broken.code).toBe(1);
    expect(broken.output).toContain('MISS: credit-limit is broken for fay (790 > 500) and no episode is open');
  }, 60_000);

  it('after a SIGKILL during a race and a restart: no miss, no order held twice, no alert sent twice', async () => {
    let http = await start();
    await http.post('/customers', { id: 'gus', name: 'Gus', email: 'gus@example.com', creditLimit: 1000 });
    const race = forcedRace(
      sql,
      () =>
        Array.from({ length: 40 }, (_, i) =>
          http.post('/orders', { id: `g-${i}`, customerId: 'gus', total: 100 }).catch(() => undefined),
        ),
      12,
    );
    const answers = await race;
    await sleep(20 + Math.floor(Math.random() * 80)); // the sagas are holding orders and mailing now
    services[0].child.kill('SIGKILL');
    await services[0].exited;
    expect(answers.filter((a) => a?.status === 201).length).toBeGreaterThan(10);

    http = await start();
    await quiescent(sql);

    const audit = await runAudit(db.url);
    expect(audit.code).toBe(0);
    expect((await http.get('/customers/gus')).body.exposure).toBeLessThanOrEqual(1000);
    const heldTwice = await sql.query(
      `SELECT payload->>'orderId' AS id, count(*)::int AS n FROM event_log
        WHERE event_type = 'OrderPutOnHold' GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(heldTwice).toEqual([]);
    const byMessageId = new Map<string, number>();
    for (const mail of smtp.mails)
      byMessageId.set(mail.headers['message-id'], (byMessageId.get(mail.headers['message-id']) ?? 0) + 1);
    expect([...byMessageId.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.byAlert('opened')).toHaveLength(1);
  }, 90_000);
});
