import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const TOKEN = 'a-long-enough-admin-token';
const ADMIN_ROUTES: [string, string][] = [
  ['GET', '/dashboard'],
  ['GET', '/violations'],
  ['GET', '/violations/00000000-0000-4000-8000-000000000000'],
  ['GET', '/sagas'],
  ['POST', '/sagas/credit-limit/resume'],
  ['GET', '/sagas/parked'],
  ['POST', '/sagas/credit-limit/keys/c1/retry'],
  ['POST', '/sagas/credit-limit/keys/c1/skip'],
  ['POST', '/orders/o1/release'],
];

describe('access to the operators\u2019 routes', () => {
  let db: TestDatabase;
  const apps: RunningApp[] = [];

  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.drop();
  });

  const start = async (admin: { token?: string; requireToken?: boolean }) => {
    const app = await startBackstopApp({ databaseUrl: db.url, admin, runtime: { enabled: false } });
    apps.push(app);
    return httpClient(app.url);
  };

  it('with ADMIN_TOKEN: no token or a wrong one gets the same 401, the right one gets through', async () => {
    const http = await start({ token: TOKEN });
    for (const [method, path] of ADMIN_ROUTES) {
      const none = await http.send<any>(method, path);
      const wrong = await http.send<any>(method, path, undefined, { authorization: 'Bearer not-the-token' });
      expect(none.status).toBe(401);
      expect(wrong.body).toEqual(none.body);
      expect(none.body).toEqual({ statusCode: 401, code: 'UNAUTHORIZED', message: 'authentication required' });
      const right = await http.send(method, path, undefined, { authorization: `Bearer ${TOKEN}` });
      expect(right.status).not.toBe(401);
      expect(right.status).toBeLessThan(500);
    }
    // Clients' routes stay open.
    expect((await http.get('/invariants')).status).toBe(200);
    expect((await http.get('/health')).status).toBe(200);
  });

  it('in production without ADMIN_TOKEN: refused with 403', async () => {
    const http = await start({ requireToken: true });
    for (const [method, path] of ADMIN_ROUTES) {
      const answer = await http.send<any>(method, path);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('FORBIDDEN');
    }
  });

  it('in development without ADMIN_TOKEN: open', async () => {
    const http = await start({});
    expect((await http.get('/violations')).status).toBe(200);
    expect((await http.get('/dashboard')).status).toBe(200);
  });
});
