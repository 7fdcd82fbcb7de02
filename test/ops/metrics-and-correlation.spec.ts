import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { forcedRace } from '../support/forced-race';
import { httpClient } from '../support/http';
import { quiescent } from '../support/quiescence';
import { ServiceProcess, spawnService, waitForListening } from '../support/service-process';
import { SmtpSink } from '../support/smtp-sink';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

/** Prometheus text -> value of one sample line, by its exact series. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('operating the service: metrics, JSON logs and one correlation id end to end', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let smtp: SmtpSink;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    smtp = await new SmtpSink().start();
    service = spawnService({ DATABASE_URL: db.url, SMTP_URL: smtp.url, PORT: '0' }, tmpdir());
    await waitForListening(service);
  });
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exited;
    await smtp.stop();
    await sql.destroy();
    await db.drop();
  });

  it(
    'follows x-correlation-id from CreateOrder to its log line, the ' +
      'violation details and the alert mail; /metrics counts it all',
    async () => {
      const http = httpClient(service.url!);
      await http.post('/customers', { id: 'zed', name: 'Zed', email: 'zed@example.com', creditLimit: 1000 });
      await forcedRace(
        sql,
        () =>
          Array.from({ length: 20 }, (_, i) =>
            http.post('/orders', { id: `z-${i}`, customerId: 'zed', total: 100 }, { 'x-correlation-id': 'race-42' }),
          ),
        12,
      );
      await quiescent(sql);

      const lines = service
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      expect(lines).toContainEqual(
        expect.objectContaining({ context: 'Command', command: 'CreateOrder', result: 'ok', correlationId: 'race-42' }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ context: 'Command', command: 'HoldOrder', result: 'ok', correlationId: 'race-42' }),
      );

      const [violation] = await sql.query(`SELECT details FROM violations WHERE key = 'zed'`);
      expect(violation.details.correlationId).toBe('race-42');
      await eventually(() => expect(smtp.byAlert('opened')).toHaveLength(1));
      expect(smtp.byAlert('opened')[0].headers['x-correlation-id']).toBe('race-42');

      const metrics = (await http.get('/metrics')).body as string;
      expect(sample(metrics, 'backstop_violations_opened_total{invariant="credit-limit"}')).toBe(1);
      expect(sample(metrics, 'backstop_violations_resolved_total{invariant="credit-limit"}')).toBe(1);
      expect(sample(metrics, 'backstop_detection_latency_seconds_count{invariant="credit-limit"}')).toBe(1);
      expect(sample(metrics, 'backstop_compensations_total{kind="HoldOrder",result="done"}')).toBeGreaterThan(0);
      expect(sample(metrics, 'backstop_commands_total{command="CreateOrder",result="ok"}')).toBeGreaterThan(10);
      expect(sample(metrics, 'backstop_events_appended_total{type="OrderPutOnHold"}')).toBeGreaterThan(0);
      expect(sample(metrics, 'backstop_mails_total{result="sent"}')).toBe(2);
      expect(sample(metrics, 'backstop_mail_outbox{status="pending"}')).toBe(0);
      expect(sample(metrics, 'backstop_saga_lag_events{saga="credit-limit"}')).toBe(0);
    },
    60_000,
  );
});
