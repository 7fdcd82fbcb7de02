import { tmpdir } from 'node:os';
import { httpClient } from '../support/http';
import { ServiceProcess, spawnService, waitForListening } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const TOKEN = 'a-long-enough-admin-token';
const ORIGIN = 'https://ops.example.com';

/** The built service takes its limits from the environment (main.ts and AppModule wire them). */
describe('the service against hostile clients, configured by environment', () => {
  let db: TestDatabase;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = spawnService(
      {
        DATABASE_URL: db.url,
        PORT: '0',
        RUN_WORKERS: 'false',
        ADMIN_TOKEN: TOKEN,
        BODY_LIMIT_BYTES: '2048',
        ADMIN_RATE_LIMIT: '3',
        CORS_ORIGINS: `${ORIGIN}, http://localhost:8080`,
      },
      tmpdir(),
    );
    await waitForListening(service);
  });
  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
    await db?.drop();
  });

  it('honours BODY_LIMIT_BYTES, ADMIN_RATE_LIMIT and CORS_ORIGINS', async () => {
    const http = httpClient(service.url!);
    const big = await http.post<any>('/customers', {
      id: 'big',
      name: 'x'.repeat(3000),
      email: 'b@example.com',
      creditLimit: 1,
    });
    expect(big.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'the request body is larger than 2048 bytes',
    });
    expect(big.headers.get('x-content-type-options')).toBe('nosniff');

    const auth = { authorization: `Bearer ${TOKEN}` };
    for (let i = 0; i < 3; i++) expect((await http.send('GET', '/violations', undefined, auth)).status).toBe(200);
    const refused = await http.send<any>('GET', '/violations', undefined, auth);
    expect([refused.status, refused.body.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

    for (const origin of [ORIGIN, 'http://localhost:8080']) {
      expect(
        (await http.send('GET', '/invariants', undefined, { origin })).headers.get('access-control-allow-origin'),
      ).toBe(origin);
    }
    expect(
      (await http.send('GET', '/invariants', undefined, { origin: 'https://evil.example.com' })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
  });
});
