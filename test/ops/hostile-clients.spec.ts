import { request as httpRequest } from 'node:http';
import { Answer, httpClient, HttpClient } from '../support/http';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const TOKEN = 'a-long-enough-admin-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const OPS_ORIGIN = 'https://ops.example.com';
const customer = (id: string, name = 'N') => ({ id, name, email: `${id}@example.com`, creditLimit: 10 });

function expectSecurityHeaders(answer: Answer, label: string): void {
  const header = (name: string) => [label, name, answer.headers.get(name)];
  expect(header('x-content-type-options')).toEqual([label, 'x-content-type-options', 'nosniff']);
  expect(header('x-frame-options')).toEqual([label, 'x-frame-options', 'SAMEORIGIN']);
  expect(header('referrer-policy')).toEqual([label, 'referrer-policy', 'no-referrer']);
  expect(header('cross-origin-resource-policy')).toEqual([label, 'cross-origin-resource-policy', 'same-origin']);
  expect(header('x-powered-by')).toEqual([label, 'x-powered-by', null]);
  expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

/** A body sent chunked, without Content-Length, so only counting the bytes read can stop it. */
function postChunked(url: string, path: string, chunks: string[]): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('hostile clients', () => {
  let db: TestDatabase;
  let plain: RunningApp;
  let guarded: RunningApp;
  let defaults: HttpClient;
  let configured: HttpClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Defaults everywhere: no rate limit, 100 kB bodies, no CORS.
    plain = await startBackstopApp({ databaseUrl: db.url, admin: { token: TOKEN }, runtime: { enabled: false } });
    guarded = await startBackstopApp(
      { databaseUrl: db.url, admin: { token: TOKEN, rateLimit: { limit: 5 } }, runtime: { enabled: false } },
      [],
      { bodyLimitBytes: 2048, corsOrigins: [OPS_ORIGIN] },
    );
    defaults = httpClient(plain.url);
    configured = httpClient(guarded.url);
  });
  afterAll(async () => {
    await plain?.close();
    await guarded?.close();
    await db?.drop();
  });

  it('sends security headers on JSON answers, errors, the dashboard and the API docs', async () => {
    const answers: [string, Answer][] = [
      ['GET /invariants', await defaults.get('/invariants')],
      ['GET /customers/nobody', await defaults.get('/customers/nobody')],
      ['POST /customers invalid JSON', await defaults.post('/customers', '{')],
      ['GET /violations without token', await defaults.get('/violations')],
      ['GET /nowhere', await defaults.get('/nowhere')],
      ['GET /dashboard', await defaults.send('GET', '/dashboard', undefined, AUTH)],
      ['GET /docs', await defaults.get('/docs')],
    ];
    expect(answers.map(([label, answer]) => [label, answer.status])).toEqual([
      ['GET /invariants', 200],
      ['GET /customers/nobody', 404],
      ['POST /customers invalid JSON', 400],
      ['GET /violations without token', 401],
      ['GET /nowhere', 404],
      ['GET /dashboard', 200],
      ['GET /docs', 200],
    ]);
    for (const [label, answer] of answers) expectSecurityHeaders(answer, label);

    const policy = (label: string) => answers.find(([l]) => l === label)![1].headers.get('content-security-policy')!;
    // JSON loads nothing: the strictest policy.
    expect(policy('GET /invariants')).toContain("default-src 'none'");
    // The dashboard allows its own style block and nothing else.
    expect(policy('GET /dashboard')).toMatch(/default-src 'none'.*style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy('GET /dashboard')).not.toContain('unsafe-inline');
    // Swagger UI: its own scripts and inline styles.
    expect(policy('GET /docs')).toContain("script-src 'self'");
    expect(policy('GET /docs')).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy('GET /docs')).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it(
    'answers a body over the limit with 413 PAYLOAD_TOO_LARGE, ' +
      'whether its length is declared or not, and stores nothing',
    async () => {
      const big = customer('big', 'x'.repeat(3000));
      const declared = await configured.post<any>('/customers', big);
      expect(declared.status).toBe(413);
      expect(declared.body).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'the request body is larger than 2048 bytes',
      });
      expectSecurityHeaders(declared, '413');

      const chunked = await postChunked(guarded.url, '/customers', [
        JSON.stringify(big).slice(0, 1500),
        JSON.stringify(big).slice(1500),
      ]);
      expect(chunked).toEqual({
        status: 413,
        body: { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the request body is larger than 2048 bytes' },
      });
      expect((await configured.get('/customers/big')).status).toBe(404);

      // Just under the limit the body is parsed and validated as usual.
      expect((await configured.post<any>('/customers', customer('small', 'x'.repeat(1800)))).body.code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await configured.post('/customers', customer('small'))).status).toBe(201);
      // The default limit is 100 kB.
      const overDefault = await defaults.post<any>('/customers', customer('huge', 'x'.repeat(110_000)));
      expect(overDefault.body).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'the request body is larger than 102400 bytes',
      });
      expect((await defaults.post<any>('/customers', customer('long', 'x'.repeat(90_000)))).body.code).toBe(
        'VALIDATION_FAILED',
      );
    },
  );

  it(
    'limits the admin routes per client with 429 TOO_MANY_REQUESTS ' +
      'and Retry-After, and leaves the command API alone',
    async () => {
      for (let i = 0; i < 12; i++)
        expect((await configured.post('/customers', customer(`burst-${i}`))).status).toBe(201);

      for (let i = 0; i < 5; i++)
        expect((await configured.send('GET', '/violations', undefined, AUTH)).status).toBe(200);
      const refused = await configured.send<any>('GET', '/violations', undefined, AUTH);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message: expect.any(String) });
      const retryAfter = refused.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      expectSecurityHeaders(refused, '429');

      // One budget for all admin routes, and guessing tokens spends it too.
      expect((await configured.send('GET', '/sagas', undefined, AUTH)).status).toBe(429);
      expect(
        (await configured.send('GET', '/dashboard', undefined, { authorization: 'Bearer guess-guess-guess-guess' }))
          .status,
      ).toBe(429);
      // Clients' routes are not limited.
      expect((await configured.post('/customers', customer('after-burst'))).status).toBe(201);
      expect((await configured.get('/invariants')).status).toBe(200);
      // Without a configured limit, admin routes are not limited.
      for (let i = 0; i < 12; i++)
        expect((await defaults.send('GET', '/violations', undefined, AUTH)).status).toBe(200);
    },
  );

  it('sends no CORS headers by default, and only to a configured origin when CORS_ORIGINS is set', async () => {
    const preflight = (http: HttpClient, origin: string) =>
      http.send('OPTIONS', '/customers', undefined, {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      });
    const corsHeaders = (answer: Answer) =>
      [...answer.headers.keys()].filter((name) => name.startsWith('access-control-'));

    for (const answer of [
      await defaults.send('GET', '/invariants', undefined, { origin: OPS_ORIGIN }),
      await preflight(defaults, OPS_ORIGIN),
    ]) {
      expect(corsHeaders(answer)).toEqual([]);
    }

    const allowed = await configured.send('GET', '/invariants', undefined, { origin: OPS_ORIGIN });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(OPS_ORIGIN);
    const allowedPreflight = await preflight(configured, OPS_ORIGIN);
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(OPS_ORIGIN);
    expect(allowedPreflight.headers.get('access-control-allow-methods')).toContain('POST');

    for (const origin of [
      'https://evil.example.com',
      'https://ops.example.com.evil.example',
      'http://ops.example.com',
    ]) {
      expect([origin, corsHeaders(await configured.send('GET', '/invariants', undefined, { origin }))]).toEqual([
        origin,
        [],
      ]);
      expect([origin, corsHeaders(await preflight(configured, origin))]).toEqual([origin, []]);
    }
  });

  it('accepts exactly the admin token: wrong ones of equal and other lengths get 401', async () => {
    const last = TOKEN.at(-1) === 'x' ? 'y' : 'x';
    const wrong = [
      `Bearer ${TOKEN.slice(0, -1)}${last}`,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.repeat(40)}`,
      'Bearer x',
      'Bearer ',
      TOKEN,
      `Basic ${TOKEN}`,
    ];
    for (const authorization of wrong) {
      const answer = await defaults.send<any>('GET', '/violations', undefined, { authorization });
      expect([authorization, answer.status, answer.body.code]).toEqual([authorization, 401, 'UNAUTHORIZED']);
    }
    expect((await defaults.send('GET', '/violations', undefined, AUTH)).status).toBe(200);
    expect((await defaults.send('GET', '/violations', undefined, { authorization: `bearer ${TOKEN}` })).status).toBe(
      200,
    );
  });
});
