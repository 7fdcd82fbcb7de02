import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { forcedRace } from '../support/forced-race';
import { declaredDependency, installHostApp, InstalledHostApp, runHostAudit, startHostApp } from '../support/host-app';
import { httpClient, HttpClient } from '../support/http';
import { ServiceProcess, waitForListening } from '../support/service-process';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

/**
 * examples/host-app end to end, as a user gets it: nest-backstop installed
 * from the packed tarball, the app compiled on its own and started as a
 * child process against real PostgreSQL, its alerts sent to a real SMTP server.
 */
/** A child process on a busy CI machine: the saga's reaction may take longer than eventually's default. */
const PATIENCE = { timeoutMs: 30_000 };

describe('examples/host-app on the packed nest-backstop', () => {
  let installed: InstalledHostApp;
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  let host: ServiceProcess | undefined;
  let http: HttpClient;

  const start = async (strategy: 'react' | 'prevent') => {
    host = startHostApp(installed.dir, {
      DATABASE_URL: db.url,
      PORT: '0',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      ALERT_TO: 'ops@example.com',
      SEAT_CAPACITY_STRATEGY: strategy,
      SEAT_CAPACITY_TOLERANCE: '1',
    });
    http = httpClient(await waitForListening(host));
  };
  /** SIGTERM: the app closes Backstop (runtime, workers, pool) and exits 0. */
  const stop = async () => {
    const running = host;
    host = undefined;
    if (!running) return;
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.output()).toContain('SIGTERM received, shutting down');
  };
  const reserve = (showId: string, seats: number) =>
    Array.from({ length: seats }, (_, i) => http.post(`/shows/${showId}/reservations`, { seatId: `s${i + 1}` }));
  const logged = async (type: string, showId: string) =>
    sql.query(
      `SELECT payload FROM event_log WHERE event_type = $1 AND payload->>'showId' = $2
        ORDER BY transaction_id, position`,
      [type, showId],
    );

  beforeAll(async () => {
    installed = installHostApp();
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 12);
    smtp = await new SmtpSink().start();
  }, 180_000);
  // A test that failed before its stop(): its app must not outlive it.
  afterEach(async () => {
    const left = host;
    host = undefined;
    if (left && left.child.exitCode === null && left.child.signalCode === null) {
      left.child.kill('SIGKILL');
      await left.exited;
    }
  });
  afterAll(async () => {
    await smtp?.stop();
    await sql?.destroy();
    await db?.drop();
    if (installed) rmSync(dirname(installed.dir), { recursive: true, force: true });
  });

  it('declares the tarball npm pack writes, and resolves nest-backstop from its contents', () => {
    expect(declaredDependency()).toBe(`file:../../${installed.tarball}`);
    const resolved = require.resolve('nest-backstop', { paths: [installed.dir] });
    expect(resolved).toBe(join(installed.dir, 'node_modules', 'nest-backstop', 'dist', 'src', 'index.js'));
  });

  it('react: a race past capacity is accepted, then the saga releases the newest seats and alerts', async () => {
    await start('react');
    expect((await http.post('/shows', { id: 'hamlet', title: 'Hamlet', capacity: 3 })).status).toBe(201);
    // Eight reservations read "0 of 3 reserved" and commit together: capacity 3, tolerance 1, so 4 too many.
    const answers = await forcedRace(sql, () => reserve('hamlet', 8), 8);
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));

    const violation = await eventually(async () => {
      const { body } = await http.get('/violations?invariant=seat-capacity');
      expect(body).toHaveLength(1);
      expect(body[0]).toMatchObject({ key: 'hamlet', status: 'resolved' });
      return body[0];
    }, PATIENCE);
    expect(violation.details).toMatchObject({ showId: 'hamlet', capacity: 3, allowed: 4 });

    // The compensation: ReleaseSeat of the four newest reservations, each carrying the episode's id.
    const reserved = (await logged('SeatReserved', 'hamlet')).map((row: any) => row.payload.seatId);
    const released = await logged('SeatReleased', 'hamlet');
    expect(released.map((row: any) => row.payload.seatId).sort()).toEqual(reserved.slice(4).sort());
    for (const row of released) expect(row.payload.violationId).toBe(violation.id);
    const [{ count }] = await sql.query(
      `SELECT count(*)::int AS count FROM reservations WHERE show_id = 'hamlet' AND status = 'reserved'`,
    );
    expect(count).toBe(4);

    await eventually(() => expect(smtp.byAlert('resolved')).toHaveLength(1), PATIENCE);
    const [opened] = smtp.byAlert('opened');
    expect(smtp.byAlert('opened')).toHaveLength(1);
    expect(opened.subject).toBe('[Backstop] Violation opened: seat-capacity for show Hamlet (hamlet)');
    expect(opened.headers['x-backstop-violation-id']).toBe(violation.id);
    expect(opened.headers['message-id']).toMatch(/^<.+>$/);
    expect(opened.to).toEqual(['ops@example.com']);
    // Decided event by event: the fifth reservation breached 3 + 1, and the newest (s5 of the log) is released first.
    expect(opened.raw).toContain('Reserved: 5');
    expect(opened.raw).toContain(`Releasing the 1 newest reservation(s): ${reserved[4]}.`);
    expect(smtp.byAlert('resolved')[0].subject).toMatch(
      /^\[Backstop\] Violation resolved: seat-capacity for show Hamlet/,
    );

    const invariants = (await http.get('/invariants')).body;
    expect(invariants.find((row: { name: string }) => row.name === 'seat-capacity')).toEqual({
      name: 'seat-capacity',
      key: 'showId',
      strategy: 'react',
      reactions: ['alert', 'compensate'],
      tolerance: 1,
      events: ['ShowScheduled', 'SeatReserved', 'SeatReleased', 'CompensationRejected'],
      openViolations: 0,
    });
    const metrics = (await http.get('/metrics')).body as string;
    expect(metrics).toContain('backstop_violations_open{invariant="seat-capacity"} 0');
    expect(metrics).toMatch(/backstop_saga_lag_events\{saga="seat-capacity"\}/);
    expect(metrics).toMatch(/backstop_commands_total\{command="ReleaseSeat",result="ok"\} 4/);

    // The app's own audit: 4 reserved fit 3 + tolerance 1; with tolerance 0 the same rows are a breach nobody saw.
    const audit = runHostAudit(installed.dir, { DATABASE_URL: db.url, SEAT_CAPACITY_TOLERANCE: '1' });
    expect(audit.output).toContain('1 show(s): 0 breach(es) with an open episode, 0 miss(es), 0 stale episode(s)');
    expect(audit.status).toBe(0);
    const strict = runHostAudit(installed.dir, { DATABASE_URL: db.url, SEAT_CAPACITY_TOLERANCE: '0' });
    expect(strict.output).toMatch(/seat-capacity\s+hamlet\s+4\s+3\s+-\s+MISS/);
    expect(strict.status).toBe(1);
    await stop();
  }, 120_000);

  it('prevent: the same race queues on the show and is refused at the command, nothing overbooked', async () => {
    await start('prevent');
    expect((await http.post('/shows', { id: 'macbeth', title: 'Macbeth', capacity: 3 })).status).toBe(201);
    // One reservation holds the show's lock and waits on the log; the other seven wait for that lock.
    const answers = await forcedRace(sql, () => reserve('macbeth', 8), 8, '%');
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 201, 422, 422, 422, 422, 422]);
    expect(answers.find((answer) => answer.status === 422)!.body).toMatchObject({ code: 'INVALID_STATE' });
    expect(await logged('SeatReserved', 'macbeth')).toHaveLength(3);

    // Once the saga has read every event, it has nothing to react to.
    await eventually(
      async () =>
        expect((await http.get('/metrics')).body).toContain('backstop_saga_lag_events{saga="seat-capacity"} 0'),
      PATIENCE,
    );
    const invariants = (await http.get('/invariants')).body;
    expect(invariants.find((r: { name: string }) => r.name === 'seat-capacity')).toMatchObject({
      strategy: 'prevent',
      openViolations: 0,
    });
    const violations = (await http.get('/violations?invariant=seat-capacity')).body;
    expect(violations.filter((v: { key: string }) => v.key === 'macbeth')).toEqual([]);
    await stop();
  }, 120_000);
});
