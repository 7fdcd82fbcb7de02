import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const sample = (metrics: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);

describe('the read horizon: a transaction held open anywhere on the server', () => {
  let db: TestDatabase;
  let other: TestDatabase;
  let service: RunningApp;

  beforeAll(async () => {
    [db, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    service = await startBackstopApp({
      databaseUrl: db.url,
      runtime: { readHorizonWarnSeconds: 1 },
      database: { idleInTransactionTimeoutMs: 1_500 },
    });
  });
  afterAll(async () => {
    await service.close();
    await Promise.all([db.drop(), other.drop()]);
  });

  it('is named by /health (with a warning past the threshold) and measured by /metrics', async () => {
    const holder = new Client({ connectionString: other.url, application_name: 'forgotten-report' });
    await holder.connect();
    try {
      // Another database of the same server: its open transaction holds Backstop's readers back too.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await eventually(async () => {
        const health = await (await fetch(`${service.url}/health`)).json();
        expect(health.details.sagas.readHorizon).toMatchObject({
          database: other.name,
          application: 'forgotten-report',
          state: 'idle in transaction',
          warning: expect.stringContaining('holds every saga back'),
        });
      });
      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(sample(metrics, 'backstop_read_horizon_age_seconds')).toBeGreaterThan(1);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    await eventually(async () => {
      const health = await (await fetch(`${service.url}/health`)).json();
      expect(health.details.sagas.readHorizon.warning).toBeUndefined();
    });
  });

  it("ends a session of Backstop's own left idle inside a transaction", async () => {
    const dataSource = service.app.get<DataSource>(getDataSourceToken());
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    await runner.startTransaction();
    await runner.query('SELECT pg_current_xact_id()');
    const observer = new Client({ connectionString: db.url });
    await observer.connect();
    try {
      await eventually(async () => {
        const { rows } = await observer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
        expect(rows).toHaveLength(0);
      });
    } finally {
      await observer.end();
      await runner.release().catch(() => undefined);
    }
  });
});
