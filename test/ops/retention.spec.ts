import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient, HttpClient } from '../support/http';
import { quiescent } from '../support/quiescence';
import { backdate, count, episodeFor, reactionsOf } from '../support/retention-episodes';
import { spawnService, waitForListening } from '../support/service-process';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

describe('retention: storage stays bounded, the event log is kept (guarantee 10)', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  let app: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    smtp = await new SmtpSink().start();
    // Default windows (30 days for command ids, outbox and mail, 90 for violations), a pass every 200 ms.
    app = await startBackstopApp({
      databaseUrl: db.url,
      alertTo: ['ops@example.com'],
      mail: { smtpUrl: smtp.url },
      runtime: { pollIntervalMs: 100 },
      retention: { intervalMs: 200, batchSize: 1000 },
    });
    http = httpClient(app.url);
  });
  // What a test left waiting on purpose would keep the next one from ever being quiescent.
  afterEach(async () => {
    await sql.query(
      `DELETE FROM command_outbox WHERE status = 'pending' AND next_attempt_at > now() + interval '1 hour'`,
    );
    await sql.query(`DELETE FROM mail_outbox WHERE status = 'pending' AND next_attempt_at > now() + interval '1 hour'`);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
    await sql.destroy();
    await db.drop();
  });

  it(
    'deletes each kind once it is older than its window, with a resolved ' +
      'violation its reactions; keeps younger rows, pending work and the log',
    async () => {
      const old = await episodeFor(http, sql, 'old');
      const mid = await episodeFor(http, sql, 'mid');
      const cascade = await episodeFor(http, sql, 'cascade');
      const young = await episodeFor(http, sql, 'young');
      const waiting = await episodeFor(http, sql, 'waiting');
      await eventually(() => expect(smtp.mails).toHaveLength(10));
      const events = await count(sql, 'event_log');

      // One transaction, so that any retention pass sees old and young rows together.
      await sql.transaction(async (tx) => {
        await backdate(tx, old, { violation: 91, reactions: 31 });
        await backdate(tx, mid, { violation: 89, reactions: 31 });
        await backdate(tx, cascade, { violation: 91, reactions: 29 });
        await backdate(tx, young, { violation: 89, reactions: 29 });
        await backdate(tx, waiting, { violation: 91, reactions: 29 });
        // An alert still waiting for SMTP keeps its violation.
        await tx.query(
          `UPDATE mail_outbox SET status = 'pending', sent_at = NULL, next_attempt_at = now() + interval '1 day'
          WHERE violation_id = $1 AND kind = 'resolved'`,
          [waiting],
        );
        // Executed, but the outbox row was never marked done (a crash in between): its id must stay while it is
        // pending.
        await tx.query(
          `INSERT INTO command_outbox (command_id, saga, saga_key, command_type, payload, status, next_attempt_at,
          created_at)



               VALUES ('stuck', 'credit-limit', 'nobody', 'HoldOrder', '{"orderId":"nope","reason":"x"}', 'pending',
                       now() + interval '1 day', now() - interval '100 days')`,
        );
        await tx.query(
          `INSERT INTO executed_commands (command_id, executed_at) VALUES ('stuck', now() - interval '31 days')`,
        );
        // More old ids than one batch holds.
        await tx.query(
          `INSERT INTO executed_commands (command_id, executed_at) SELECT 'bulk-' || i, now() - interval '31 days'
          FROM generate_series(1, 2500) i`,
        );
        await tx.query(
          `INSERT INTO executed_commands (command_id, executed_at) SELECT 'recent-' || i, now() - interval '29 days'
          FROM generate_series(1, 10) i`,
        );
      });

      await eventually(
        async () => {
          expect(await reactionsOf(sql, old)).toEqual({ violation: 0, commands: 0, executed: 0, mails: 0 });
          expect(await count(sql, `executed_commands WHERE command_id LIKE 'bulk-%'`)).toBe(0);
          expect(await count(sql, `violations WHERE id = $1`, [cascade])).toBe(0);
          expect(await count(sql, `mail_outbox WHERE violation_id = $1 AND status = 'sent'`, [mid])).toBe(0);
          expect(await count(sql, `command_outbox WHERE payload->>'violationId' = $1`, [mid])).toBe(0);
        },
        { timeoutMs: 20_000 },
      );

      // mid: the violation (89 days) stays, its reactions (31 days) went; its executed ids went with their own window.
      expect(await count(sql, `violations WHERE id = $1`, [mid])).toBe(1);
      // cascade: the violation (91 days) took its young mails and commands along, not their executed ids (29 days).
      expect(await count(sql, `mail_outbox WHERE violation_id = $1`, [cascade])).toBe(0);
      expect(await count(sql, `command_outbox WHERE payload->>'violationId' = $1`, [cascade])).toBe(0);
      expect(
        await count(
          sql,
          `executed_commands WHERE executed_at < now() - interval '28 days'
          AND executed_at > now() - interval '30 days' AND command_id NOT LIKE 'recent-%'`,
        ),
      ).toBe(6);
      expect(await reactionsOf(sql, young)).toEqual({ violation: 1, commands: 2, executed: 2, mails: 2 });
      expect(await reactionsOf(sql, waiting)).toEqual({ violation: 1, commands: 2, executed: 2, mails: 2 });
      expect(await count(sql, `command_outbox WHERE command_id = 'stuck' AND status = 'pending'`)).toBe(1);
      expect(await count(sql, `executed_commands WHERE command_id = 'stuck'`)).toBe(1);
      expect(await count(sql, `executed_commands WHERE command_id LIKE 'recent-%'`)).toBe(10);
      expect(await count(sql, 'event_log')).toBe(events);
      const kept = (await http.get(`/violations/${young}`)).body;
      expect(kept.reactions.commands).toHaveLength(2);
      expect((await http.get(`/violations/${old}`)).status).toBe(404);
    },
    90_000,
  );

  it('a compensating command retried within the window has no second effect after retention has run', async () => {
    const violation = await episodeFor(http, sql, 'retry');
    const held = (
      await sql.query(`SELECT id FROM orders WHERE customer_id = 'retry' AND status = 'on_hold' ORDER BY id`)
    ).map((r: { id: string }) => r.id);
    expect(held).toEqual(['retry-2', 'retry-3']);
    // Released by hand (after raising the limit), so a second HoldOrder would act.
    await http.put('/customers/retry/credit-limit', { creditLimit: 5000 });
    for (const id of held) expect((await http.post(`/orders/${id}/release`)).status).toBe(200);
    await quiescent(sql);
    await sql.transaction(async (tx) => {
      await backdate(tx, violation, { violation: 89, reactions: 29 });
      await tx.query(
        `INSERT INTO executed_commands (command_id, executed_at) SELECT 'gone-' || i, now() - interval '31 days'
          FROM generate_series(1, 50) i`,
      );
    });
    // A retention pass ran after the backdating: the older ids are gone.
    await eventually(async () => expect(await count(sql, `executed_commands WHERE command_id LIKE 'gone-%'`)).toBe(0), {
      timeoutMs: 20_000,
    });

    const holds = () => count(sql, `event_log WHERE event_type = 'OrderPutOnHold' AND stream_id LIKE 'order-retry-%'`);
    const before = await holds();
    expect(before).toBe(2);
    await sql.query(
      `UPDATE command_outbox SET status = 'pending', done_at = NULL, next_attempt_at = now(), locked_until = NULL
        WHERE payload->>'violationId' = $1`,
      [violation],
    );
    await quiescent(sql);
    expect(await count(sql, `command_outbox WHERE payload->>'violationId' = $1 AND status = 'done'`, [violation])).toBe(
      2,
    );
    expect(await holds()).toBe(before);
    expect(await sql.query(`SELECT id, status FROM orders WHERE customer_id = 'retry' ORDER BY id`)).toEqual([
      { id: 'retry-1', status: 'open' },
      { id: 'retry-2', status: 'open' },
      { id: 'retry-3', status: 'open' },
    ]);
  }, 90_000);
});

describe('the metrics scrape does not read history', () => {
  it('reads no sent mail row, however many there are, and reports the pending ones', async () => {
    const db = await createTestDatabase();
    const sql = await openDataSource(db.url, 2);
    try {
      await sql.query(
        `INSERT INTO mail_outbox (message_id, kind, recipients, subject, text_body, status, sent_at)
         SELECT '<m' || i || '@test>', 'opened', '{ops@example.com}', 'old alert', repeat('body ', 200), 'sent',
           now() - interval '1 day'
           FROM generate_series(1, 20000) i`,
      );
      await sql.query(
        `INSERT INTO mail_outbox (message_id, kind, recipients, subject, text_body, last_error)
         SELECT '<p' || i || '@test>', 'opened', '{ops@example.com}', 'waiting', 'body', CASE WHEN i <= 2 THEN
           'smtp down' END
           FROM generate_series(1, 5) i`,
      );
      await sql.query(`ANALYZE mail_outbox`);
      const reads = async () => {
        const [row] = await sql.query(
          `SELECT (coalesce(t.seq_tup_read, 0) + coalesce(t.idx_tup_fetch, 0))::int AS rows,
                  (SELECT coalesce(sum(idx_tup_read), 0)::int FROM pg_stat_user_indexes i
                    WHERE i.relname = 'mail_outbox') AS entries
             FROM pg_stat_user_tables t WHERE t.relname = 'mail_outbox'`,
        );
        return row as { rows: number; entries: number };
      };
      const before = await reads();
      const ours = (
        await sql.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
        )
      ).map((row: { pid: number }) => row.pid);

      // API only: no outbox worker reads the table, so every read counted below is the scrape's.
      const app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } });
      let metrics = '';
      try {
        for (let i = 0; i < 3; i++) metrics = (await httpClient(app.url).get('/metrics')).body as string;
      } finally {
        await app.close();
      }
      expect(metrics).toMatch(/^backstop_mail_outbox\{status="pending"\} 5$/m);
      expect(metrics).toMatch(/^backstop_mail_outbox\{status="failing"\} 2$/m);
      // A backend reports its table statistics at the latest when it exits: wait until the app's are gone.
      await eventually(async () => {
        const backends = (
          await sql.query(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
          )
        ).map((row: { pid: number }) => row.pid);
        expect(backends.filter((pid: number) => !ours.includes(pid))).toEqual([]);
      });
      const after = await reads();
      expect(after.rows - before.rows).toBeLessThan(100);
      expect(after.entries - before.entries).toBeLessThan(100);
    } finally {
      await sql.destroy();
      await db.drop();
    }
  }, 60_000);
});

describe('the service takes its retention from the environment', () => {
  it('deletes by RETENTION_MAIL_DAYS and RETENTION_COMMAND_IDS_DAYS, every RETENTION_INTERVAL_SECONDS', async () => {
    const db = await createTestDatabase();
    const sql = await openDataSource(db.url, 2);
    const env = {
      DATABASE_URL: db.url,
      PORT: '0',
      RETENTION_MAIL_DAYS: '2',
      RETENTION_COMMAND_IDS_DAYS: '2',
      RETENTION_INTERVAL_SECONDS: '1',
    };
    const service = spawnService(env, tmpdir());
    try {
      await waitForListening(service);
      // Written after the start, so only a later pass (one a second, not the default five minutes) can delete them.
      await sql.query(
        `INSERT INTO mail_outbox (message_id, kind, recipients, subject, text_body, status, sent_at)
         VALUES ('<three-days@test>', 'opened', '{ops@example.com}', 's', 'b', 'sent', now() - interval '3 days'),
                ('<one-day@test>', 'opened', '{ops@example.com}', 's', 'b', 'sent', now() - interval '1 day')`,
      );
      await sql.query(
        `INSERT INTO executed_commands
          VALUES ('three-days', now() - interval '3 days'), ('one-day', now() - interval '1 day')`,
      );
      await eventually(
        async () => {
          expect(
            (await sql.query(`SELECT message_id FROM mail_outbox`)).map((r: { message_id: string }) => r.message_id),
          ).toEqual(['<one-day@test>']);
          expect(
            (await sql.query(`SELECT command_id FROM executed_commands`)).map(
              (r: { command_id: string }) => r.command_id,
            ),
          ).toEqual(['one-day']);
        },
        { timeoutMs: 20_000 },
      );
      await eventually(() => expect(service.output()).toMatch(/deleted 1 mail row\(s\) older than 2 days/));
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      await sql.destroy();
      await db.drop();
    }
  }, 90_000);
});
