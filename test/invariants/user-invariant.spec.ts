import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit, formatReport } from '../../src/audit/audit';
import { BackstopModule } from '../../src/backstop.module';
import { EventLogService } from '../../src/event-log/event-log.service';
import { NewEvent } from '../../src/event-log/event-log.types';
import { InvariantRegistry } from '../../src/invariants/invariant-registry';
import { InvariantSettings } from '../../src/invariants/invariant-settings';
import { eventually } from '../../src/testing/eventually';
import { seatCapacity } from '../fixtures/seat-capacity.invariant';
import { HOST_AUDIT, runAudit } from '../support/audit-process';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient, HttpClient } from '../support/http';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

@Module({ imports: [BackstopModule.forInvariants([seatCapacity])] })
class SeatsModule {}

describe('a host app declares its own invariant with defineInvariant', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  let app: RunningApp;
  let http: HttpClient;
  let version = 0;

  /** The host's own aggregate writing to the shared event log. */
  const append = async (...events: NewEvent[]) => {
    const log = app.app.get(EventLogService);
    await app.app.get(DataSource).transaction((tx) => log.append(tx, { type: 'Show', id: 'show-1' }, version, events));
    version += events.length;
  };
  const reserve = (seatId: string): NewEvent => ({ type: 'SeatReserved', payload: { showId: 'show-1', seatId } });

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 3);
    smtp = await new SmtpSink().start();
    app = await startBackstopApp(
      {
        databaseUrl: db.url,
        alertTo: ['ops@example.com'],
        mail: { smtpUrl: smtp.url },
        runtime: { pollIntervalMs: 100 },
        // Settings by name from the environment, as for the built-ins: SEAT_CAPACITY_*.
        environment: { SEAT_CAPACITY_REACTIONS: 'alert', SEAT_CAPACITY_TOLERANCE: '1' },
      },
      [SeatsModule],
    );
    http = httpClient(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
    await sql?.destroy();
    await db?.drop();
  });

  it('refuses to start with settings for a name no invariant is declared under, or a bad variable', async () => {
    await expect(
      startBackstopApp(
        { databaseUrl: db.url, runtime: { enabled: false }, invariants: { 'seat-capasity': { tolerance: 1 } } },
        [SeatsModule],
      ),
    ).rejects.toThrow(/seat-capasity, which is no declared invariant/);
    await expect(
      startBackstopApp(
        { databaseUrl: db.url, runtime: { enabled: false }, environment: { SEAT_CAPACITY_STRATEGY: 'block' } },
        [SeatsModule],
      ),
    ).rejects.toThrow(/SEAT_CAPACITY_STRATEGY must be react or prevent/);
  });

  it('opens and resolves episodes, and shows in /invariants, /metrics, the dashboard and the audit', async () => {
    await append({ type: 'ShowScheduled', payload: { showId: 'show-1', title: 'Hamlet', capacity: 2 } });
    await append(reserve('a1'), reserve('a2'), reserve('a3')); // 3 <= 2 + tolerance 1: accepted silently
    await append(reserve('a4')); // 4 > 3: breached

    const open = await eventually(async () => {
      const { body } = await http.get('/violations?invariant=seat-capacity&status=open');
      expect(body).toHaveLength(1);
      return body[0];
    });
    expect(open).toMatchObject({ invariant: 'seat-capacity', key: 'show-1', details: { capacity: 2, reserved: 4 } });
    await eventually(() => expect(smtp.byAlert('opened')).toHaveLength(1));
    const [mail] = smtp.byAlert('opened');
    expect(mail.subject).toBe('[Backstop] Violation opened: seat-capacity for show Hamlet (show-1)');
    expect(mail.headers['x-backstop-violation-id']).toBe(open.id);
    expect(mail.raw).toContain('Tolerance: 1');
    expect(mail.raw).toContain('Reserved: 4');

    const invariants = (await http.get('/invariants')).body;
    expect(invariants.map((row: { name: string }) => row.name)).toEqual([
      'credit-limit',
      'coupon-usage',
      'seat-capacity',
    ]);
    expect(invariants[2]).toEqual({
      name: 'seat-capacity',
      key: 'showId',
      strategy: 'react',
      reactions: ['alert'],
      tolerance: 1,
      events: ['ShowScheduled', 'SeatReserved', 'SeatReleased', 'CompensationRejected'],
      openViolations: 1,
    });

    const metrics = (await http.get('/metrics')).body as string;
    expect(metrics).toContain('backstop_violations_open{invariant="seat-capacity"} 1');
    expect(metrics).toContain('backstop_violations_open{invariant="credit-limit"} 0');
    expect(metrics).toMatch(/backstop_saga_lag_events\{saga="seat-capacity"\}/);

    const dashboard = (await http.get('/dashboard')).body as string;
    expect(dashboard).toContain(
      '<tr><td>seat-capacity</td><td>showId</td><td>react</td><td>alert</td><td>1</td><td class="open">1</td></tr>',
    );

    // The audit's API, over the app's registry and settings: the breach has its episode.
    const registry = app.app.get(InvariantRegistry);
    const settings = app.app.get(InvariantSettings);
    const report = await audit(sql, registry.all(), settings);
    expect(report.rows).toContainEqual({
      invariant: 'seat-capacity',
      key: 'show-1',
      actual: 4,
      allowed: 3,
      openViolationId: open.id,
      verdict: 'open',
    });
    expect(report.problems).toEqual([]);
    expect(formatReport(report)).toContain('checked 0 customer(s), 0 coupon(s) and 1 show(s): 1 breach(es)');

    // The host's `npm run audit` (runAudit with its declarations), reading the same settings by name.
    const hostAudit = (env: Record<string, string>) => runAudit(db.url, env, HOST_AUDIT);
    const audited = await hostAudit({ SEAT_CAPACITY_TOLERANCE: '1' });
    expect(audited.output).toMatch(new RegExp(`seat-capacity +show-1 +4 +3 +${open.id} +open`));
    expect(audited.output).toContain('checked 0 customer(s), 0 coupon(s) and 1 show(s): 1 breach(es) with an open');
    expect(audited.code).toBe(0);
    const badSetting = await hostAudit({ SEAT_CAPACITY_STRATEGY: 'block' });
    expect(badSetting.output).toContain('SEAT_CAPACITY_STRATEGY must be react or prevent');
    expect(badSetting.code).toBe(2);

    await append({ type: 'SeatReleased', payload: { showId: 'show-1', seatId: 'a2' } });
    await eventually(() => expect(smtp.byAlert('resolved')).toHaveLength(1));
    await eventually(async () =>
      expect((await http.get('/metrics')).body).toContain('backstop_violations_open{invariant="seat-capacity"} 0'),
    );
    const after = await audit(sql, registry.all(), settings);
    expect(after.rows.find((row) => row.invariant === 'seat-capacity')).toMatchObject({ verdict: 'ok', actual: 3 });
    // Without the tolerance the 3 reserved seats break the capacity of 2, and no episode is open: a miss.
    const miss = await hostAudit({ SEAT_CAPACITY_TOLERANCE: '0' });
    expect(miss.output).toContain('MISS: seat-capacity is broken for show-1 (3 > 2) and no episode is open');
    expect(miss.code).toBe(1);
  });
});
