import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('GET /health through a database outage', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    app = await startBackstopApp({ databaseUrl: proxy.url(db.url), runtime: { pollIntervalMs: 100 } });
  });
  afterAll(async () => {
    proxy.comeBack();
    await app.close();
    await proxy.stop();
    await db.drop();
  });

  it('turns 503 when the database goes away and 200 again when it returns, without a restart', async () => {
    const http = httpClient(app.url);
    const up = await http.get('/health');
    expect(up.status).toBe(200);
    expect(up.body.details.sagas).toMatchObject({
      runtime: 'running',
      stopped: [],
      lag: { 'credit-limit': { events: 0 } },
      outbox: { commands: 0, mails: 0 },
    });

    proxy.goDown();
    await eventually(async () => {
      const down = await http.get('/health');
      expect(down.status).toBe(503);
      expect(down.body.error.database.status).toBe('down');
    });

    proxy.comeBack();
    await eventually(async () => expect((await http.get('/health')).status).toBe(200), { timeoutMs: 20_000 });
    // And it works again, sagas included.
    await http.post('/customers', { id: 'back', name: 'Back', email: 'back@example.com', creditLimit: 10 });
    await http.post('/orders', { id: 'b1', customerId: 'back', total: 10 });
    await http.put('/customers/back/credit-limit', { creditLimit: 5 });
    await eventually(async () => expect((await http.get('/violations?key=back')).body).toHaveLength(1), {
      timeoutMs: 20_000,
    });
  }, 60_000);
});
