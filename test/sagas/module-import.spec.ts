import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { MaxOpenOrdersModule } from '../fixtures/max-open-orders.saga';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient, HttpClient } from '../support/http';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

describe('an app that imports BackstopModule and adds its own saga', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let app: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 5);
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { pollIntervalMs: 100 } }, [MaxOpenOrdersModule]);
    http = httpClient(app.url);
  });
  afterAll(async () => {
    await app.close();
    await sql.destroy();
    await db.drop();
  });

  it('opens an episode when a customer has a 4th open order and resolves it when one is cancelled', async () => {
    await http.post('/customers', { id: 'busy', name: 'Busy', email: 'busy@example.com', creditLimit: 1_000_000 });
    for (let i = 1; i <= 4; i++)
      expect((await http.post('/orders', { id: `b-${i}`, customerId: 'busy', total: 10 })).status).toBe(201);

    const violation = await eventually(async () => {
      const [row] = await sql.query(
        `SELECT id, status, details FROM violations WHERE invariant = 'max-open-orders' AND key = 'busy'`,
      );
      expect(row).toMatchObject({ status: 'open', details: { openOrders: 4, max: 3 } });
      return row as { id: string };
    });
    const opened = await sql.query(`SELECT event_type, payload FROM event_log WHERE stream_id = $1`, [
      `violation-${violation.id}`,
    ]);
    expect(opened).toEqual([
      {
        event_type: 'InvariantViolated',
        payload: expect.objectContaining({ violationId: violation.id, invariant: 'max-open-orders', key: 'busy' }),
      },
    ]);

    await http.post('/orders/b-2/cancel');
    await eventually(async () => {
      const [row] = await sql.query(`SELECT status, resolved_at FROM violations WHERE id = $1`, [violation.id]);
      expect(row.status).toBe('resolved');
      expect(row.resolved_at).toBeInstanceOf(Date);
    });
    const types = await sql.query(`SELECT event_type FROM event_log WHERE stream_id = $1 ORDER BY stream_version`, [
      `violation-${violation.id}`,
    ]);
    expect(types.map((t: { event_type: string }) => t.event_type)).toEqual(['InvariantViolated', 'ViolationResolved']);
  });
});
