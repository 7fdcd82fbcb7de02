import { ApiFixture, startApi } from '../support/api-fixture';

type Route = { method: 'POST' | 'PUT'; path: string; valid: Record<string, unknown> };

const ROUTES: Route[] = [
  { method: 'POST', path: '/customers', valid: { id: 'new-c', name: 'N', email: 'n@example.com', creditLimit: 10 } },
  { method: 'PUT', path: '/customers/c/credit-limit', valid: { creditLimit: 10 } },
  { method: 'POST', path: '/orders', valid: { id: 'new-o', customerId: 'c', total: 1 } },
  { method: 'PUT', path: '/orders/o/total', valid: { total: 2 } },
  { method: 'POST', path: '/orders/o/coupon', valid: { couponId: 'k' } },
  {
    method: 'POST',
    path: '/coupons',
    valid: { id: 'new-k', code: 'NEW', maxUses: 1, discount: 1, allowedOverbooking: 0 },
  },
  { method: 'PUT', path: '/coupons/k/max-uses', valid: { maxUses: 3 } },
  { method: 'POST', path: '/orders/o/cancel', valid: {} },
  { method: 'POST', path: '/orders/o/complete', valid: {} },
  { method: 'POST', path: '/orders/o/release', valid: {} },
];

const HUGE = 'x'.repeat(100_000);
const WRONG_TYPES: unknown[] = [null, true, false, [], [1, 2], {}, { a: 1 }];
const BAD_BY_KIND: Record<string, unknown[]> = {
  amount: ['', '1', '1e3', 'NaN', -1, -1e12, 0.5, 1.5, 1e13, 1e300, 2 ** 53 + 1, -0.0001, HUGE],
  id: ['', 'bad id!', '../etc', 'a/b', 'x'.repeat(65), 'a\u0000b', 'é', HUGE, 1, -1, 0.5],
  label: ['', 'x'.repeat(201), 'a\u0000b', '\u0007bell', 'tab\there', HUGE, 1, 0.5],
  email: ['', 'no-at', 'a@', '@b.com', 'a@b@c', 'a\u0000@b.com', HUGE, 1],
};
const KIND: Record<string, keyof typeof BAD_BY_KIND> = {
  id: 'id',
  customerId: 'id',
  couponId: 'id',
  name: 'label',
  code: 'label',
  email: 'email',
  creditLimit: 'amount',
  total: 'amount',
  maxUses: 'amount',
  discount: 'amount',
  allowedOverbooking: 'amount',
};
const OPTIONAL = new Set(['id', 'allowedOverbooking']);
const RAW_BODIES = [
  '{',
  '}',
  '[]',
  '[{}]',
  'null',
  '"string"',
  '42',
  'true',
  '{"a":}',
  "{'single':1}",
  '{"a":1,}',
  HUGE,
  `{"x":"${HUGE}"}`,
  '\u0000',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{}}}',
];

/** Every malformed variant of a route's valid body: wrong types, out-of-range values, missing and extra fields. */
function malformedBodies(valid: Record<string, unknown>): unknown[] {
  const bodies: unknown[] = [];
  for (const field of Object.keys(valid)) {
    for (const value of [...WRONG_TYPES, ...BAD_BY_KIND[KIND[field]]]) bodies.push({ ...valid, [field]: value });
    const { [field]: _, ...missing } = valid;
    if (!OPTIONAL.has(field)) bodies.push(missing);
  }
  bodies.push({ ...valid, unexpected: 1 }, { ...valid, nested: { deep: true } }, { ...valid, Total: 1 });
  return bodies;
}

describe('bad input', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await startApi();
    await api.http.post('/customers', { id: 'c', name: 'C', email: 'c@example.com', creditLimit: 1000 });
    await api.http.post('/orders', { id: 'o', customerId: 'c', total: 10 });
    await api.http.post('/coupons', { id: 'k', code: 'K', maxUses: 1, discount: 1 });
  });
  afterAll(() => api.close());

  it(
    'answers hundreds of malformed requests on every POST ' +
      'and PUT route with a 4xx and a code, and appends nothing',
    async () => {
      const before = await api.eventCount();
      const requests: { route: Route; body: unknown }[] = [];
      for (const route of ROUTES) {
        for (const body of malformedBodies(route.valid)) requests.push({ route, body });
        for (const raw of RAW_BODIES) requests.push({ route, body: raw });
        if (Object.keys(route.valid).length > 0) requests.push({ route, body: { ...route.valid, '': 1 } });
      }
      expect(requests.length).toBeGreaterThanOrEqual(500);

      const failures: string[] = [];
      for (let i = 0; i < requests.length; i += 25) {
        const batch = requests.slice(i, i + 25);
        const answers = await Promise.all(
          batch.map(({ route, body }) => api.http.send<any>(route.method, route.path, body)),
        );
        answers.forEach((answer, j) => {
          const { route, body } = batch[j];
          const label = `${route.method} ${route.path} ${JSON.stringify(body)?.slice(0, 80)}`;
          if (answer.status !== 400)
            failures.push(`${label} -> ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
          else if (answer.body?.code !== 'VALIDATION_FAILED' || typeof answer.body.message !== 'string')
            failures.push(`${label} -> no code`);
        });
      }
      expect(failures).toEqual([]);
      expect(await api.eventCount()).toBe(before);
    },
  );

  it('answers bad path ids and unknown routes with 404 NOT_FOUND', async () => {
    // An id with bytes PostgreSQL cannot store is bad input instead (storable-strings.spec).
    for (const path of ['/customers/%01', '/orders/' + 'y'.repeat(200), '/coupons/a.b', '/nowhere']) {
      const answer = await api.http.get(path);
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('NOT_FOUND');
    }
  });
});
