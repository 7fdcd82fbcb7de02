import { ApiFixture, startApi } from '../support/api-fixture';
import { quiescent } from '../support/quiescence';
import { RawAnswer, rawRequest } from '../support/raw-http';

const TABLES = [
  'event_log',
  'customers',
  'orders',
  'coupons',
  'executed_commands',
  'command_outbox',
  'mail_outbox',
  'violations',
  'saga_states',
  'saga_state_entries',
];

/** Bytes PostgreSQL cannot store as text, or that only decode by guessing (U+FFFD). */
const BAD_UTF8: Record<string, number[]> = {
  'lone 0xFF': [0xff],
  'C3 then ASCII': [0xc3, 0x28],
  'overlong slash': [0xc0, 0xaf],
  'encoded surrogate': [0xed, 0xa0, 0x80],
  'truncated euro sign': [0xe2, 0x82],
  'five-byte form': [0xf8, 0x88, 0x80, 0x80, 0x80],
};
const percent = (bytes: number[]) => bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const UNSTORABLE_TEXT = ['A\u0000B', 'A\ud800B', 'A\udfffB', 'AB\ud83d', '\udc00\ud800'];

type Body = Record<string, unknown>;
/**
 * `body` with a field holding `leaf` 40 000 arrays deep (80 kB, under the body limit), as JSON (JSON.stringify would
 * overflow the stack).
 */
const withDeepField = (body: Body, leaf: string) =>
  `${JSON.stringify(body).slice(0, -1)},"deep":${'['.repeat(40_000)}${JSON.stringify(leaf)}${']'.repeat(40_000)}}`;
const STRING_FIELDS: { method: string; path: string; valid: Body; fields: string[] }[] = [
  {
    method: 'POST',
    path: '/customers',
    valid: { id: 'sc', name: 'N', email: 'n@example.com', creditLimit: 10 },
    fields: ['id', 'name', 'email'],
  },
  { method: 'POST', path: '/coupons', valid: { id: 'sk', code: 'C', maxUses: 1, discount: 1 }, fields: ['id', 'code'] },
  { method: 'POST', path: '/orders', valid: { id: 'so', customerId: 'c', total: 1 }, fields: ['id', 'customerId'] },
  { method: 'POST', path: '/orders/o/coupon', valid: { couponId: 'k' }, fields: ['couponId'] },
];

describe('bytes PostgreSQL cannot store answer 400 VALIDATION_FAILED and change nothing', () => {
  let api: ApiFixture;
  const rowCounts = async () => {
    const counts: Record<string, number> = {};
    for (const table of TABLES) counts[table] = (await api.sql.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    return counts;
  };
  const raw = (
    method: string,
    path: string | Buffer,
    body?: string | Buffer,
    headers: Record<string, string | Buffer> = {},
  ) =>
    rawRequest(api.app.url, {
      method,
      path,
      body,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });

  /** Sends every request, then expects each to be a 400 VALIDATION_FAILED and no row to have changed. */
  async function expectAllRefused(requests: { label: string; send: () => Promise<RawAnswer> }[]) {
    await quiescent(api.sql);
    const before = await rowCounts();
    const failures: string[] = [];
    for (const { label, send } of requests) {
      const answer = await send();
      const ok =
        answer.status === 400 &&
        answer.body?.statusCode === 400 &&
        answer.body?.code === 'VALIDATION_FAILED' &&
        typeof answer.body?.message === 'string';
      if (!ok) failures.push(`${label} -> ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    await quiescent(api.sql);
    expect(await rowCounts()).toEqual(before);
  }

  beforeAll(async () => {
    api = await startApi();
    await api.http.post('/customers', { id: 'c', name: 'C', email: 'c@example.com', creditLimit: 1000 });
    await api.http.post('/orders', { id: 'o', customerId: 'c', total: 10 });
    await api.http.post('/coupons', { id: 'k', code: 'K', maxUses: 1, discount: 1 });
  });
  afterAll(() => api.close());

  it('refuses NUL and lone surrogates written as JSON escapes, in any string field and at any depth', async () => {
    const requests = STRING_FIELDS.flatMap(({ method, path, valid, fields }) =>
      [
        ...fields.flatMap((field) => UNSTORABLE_TEXT.map((text) => ({ ...valid, [field]: text }))),
        { ...valid, nested: { deep: ['ok', { deeper: 'A\ud800' }] } },
        { ...valid, ['key\ud800']: 1 },
      ]
        .map((body) => JSON.stringify(body))
        .concat(withDeepField(valid, 'A\u0000'))
        .map((body) => ({ label: `${method} ${path} ${body.slice(0, 120)}`, send: () => raw(method, path, body) })),
    );
    await expectAllRefused(requests);
  });

  it('refuses bodies that are not valid UTF-8 instead of storing U+FFFD', async () => {
    const requests = Object.entries(BAD_UTF8).flatMap(([name, bytes]) => {
      const customer = Buffer.concat([
        Buffer.from('{"id":"u8","name":"A'),
        Buffer.from(bytes),
        Buffer.from('B","email":"u@example.com","creditLimit":1}'),
      ]);
      const coupon = Buffer.concat([
        Buffer.from('{"id":"u8k","code":"A'),
        Buffer.from(bytes),
        Buffer.from('","maxUses":1,"discount":1}'),
      ]);
      const form = `couponId=k${percent(bytes)}`;
      return [
        { label: `POST /customers name with ${name}`, send: () => raw('POST', '/customers', customer) },
        { label: `POST /coupons code with ${name}`, send: () => raw('POST', '/coupons', coupon) },
        {
          label: `form body with ${name}`,
          send: () => raw('POST', '/orders/o/coupon', form, { 'content-type': 'application/x-www-form-urlencoded' }),
        },
      ];
    });
    const utf16 = Buffer.from(
      JSON.stringify({ id: 'u16', name: 'N', email: 'u@example.com', creditLimit: 1 }),
      'utf16le',
    );
    requests.push({
      label: 'a UTF-16 body',
      send: () => raw('POST', '/customers', utf16, { 'content-type': 'application/json; charset=utf-16le' }),
    });
    await expectAllRefused(requests);
  });

  it('refuses them in query parameters, and validates the parameters of GET /violations like a body', async () => {
    const unstorable = ['%00', 'a%00b', ...Object.values(BAD_UTF8).map(percent)];
    const queries = [
      ...unstorable.flatMap((value) => [
        `/violations?invariant=${value}`,
        `/violations?key=${value}`,
        `/violations?status=${value}`,
        `/violations?limit=${value}`,
      ]),
      ...unstorable.map((value) => `/customers/c?anything=${value}`),
      `/violations?${percent(BAD_UTF8['lone 0xFF'])}=1`,
      ...[
        'status=closed',
        'status=',
        'status=open&status=resolved',
        'invariant=',
        `invariant=${'x'.repeat(101)}`,
        'invariant=a&invariant=b',
        `key=${'x'.repeat(65)}`,
      ].map((query) => `/violations?${query}`),
      ...['0', '1001', '-1', '1.5', '', 'abc', '1e3', '0x10', '%205', '5%20', '+5', '00000000000000000001000'].map(
        (limit) => `/violations?limit=${limit}`,
      ),
      '/violations?unknown=1',
      '/violations?limit=5&Limit=5',
    ];
    await expectAllRefused(queries.map((path) => ({ label: `GET ${path}`, send: () => raw('GET', path) })));
  });

  it('refuses them in path ids on every kind of route', async () => {
    const requests: [string, string, Body?][] = [
      ['GET', '/customers/%00'],
      ['GET', '/customers/a%00b'],
      ['PUT', '/customers/%00/credit-limit', { creditLimit: 5 }],
      ['POST', '/orders/%00/cancel', {}],
      ['GET', '/violations/%00'],
      ...Object.values(BAD_UTF8).flatMap((bytes): [string, string, Body?][] => [
        ['GET', `/customers/${percent(bytes)}`],
        ['GET', `/orders/o${percent(bytes)}`],
        ['PUT', `/coupons/k${percent(bytes)}/max-uses`, { maxUses: 5 }],
        ['POST', `/orders/o${percent(bytes)}/complete`, {}],
        ['POST', `/sagas/credit-limit${percent(bytes)}/resume`, {}],
        ['GET', `/violations/${percent(bytes)}`],
      ]),
      ['GET', Buffer.concat([Buffer.from('/customers/c'), Buffer.from([0xff])]).toString('latin1')],
    ];
    await expectAllRefused(
      requests.map(([method, path, body]) => ({
        label: `${method} ${path}`,
        send: () => raw(method, Buffer.from(path, 'latin1'), body === undefined ? undefined : JSON.stringify(body)),
      })),
    );
  });

  it('refuses them in the stored x-correlation-id header, even on an otherwise valid command', async () => {
    const requests = [[0x00], ...Object.values(BAD_UTF8)].map((bytes, i) => ({
      label: `x-correlation-id with ${bytes.join(' ')}`,
      send: () =>
        raw('POST', '/customers', JSON.stringify({ id: `h${i}`, name: 'H', email: 'h@example.com', creditLimit: 1 }), {
          'x-correlation-id': Buffer.concat([Buffer.from('req-'), Buffer.from(bytes), Buffer.from('-1')]),
        }),
    }));
    await expectAllRefused(requests);
  });

  it('refuses a body nested too deep to check, whatever its strings', async () => {
    await expectAllRefused(
      STRING_FIELDS.map(({ method, path, valid }) => ({
        label: `${method} ${path} deep`,
        send: () => raw(method, path, withDeepField(valid, 'fine')),
      })),
    );
  });

  it('says what was wrong and where', async () => {
    const surrogate = await raw(
      'POST',
      '/customers',
      JSON.stringify({ id: 'm', name: 'A\ud800', email: 'm@example.com', creditLimit: 1 }),
    );
    expect(surrogate.body.message).toBe('name contains an unpaired UTF-16 surrogate');
    const bytes = await raw(
      'POST',
      '/coupons',
      Buffer.concat([Buffer.from('{"code":"'), Buffer.from([0xff]), Buffer.from('"}')]),
    );
    expect(bytes.body.message).toBe('the request body is not valid UTF-8');
    expect((await raw('GET', '/violations?key=a%00')).body.message).toMatch(/URL contains the NUL character/);
    expect((await raw('GET', '/violations?limit=1e3')).body.message).toMatch(/limit must be an integer/);
    const deep = await raw(
      'POST',
      '/customers',
      withDeepField({ id: 'm', name: 'N', email: 'm@example.com', creditLimit: 1 }, '\ud800'),
    );
    expect(deep.body.message.length).toBeLessThan(300);
    const header = await raw('GET', '/customers/c', undefined, { 'x-correlation-id': Buffer.from([0xc3, 0x28]) });
    expect(header.body.message).toBe('the x-correlation-id header is not valid UTF-8');
  });

  it('still accepts well-formed text outside ASCII: accents, astral characters, percent-encoded UTF-8', async () => {
    const created = await api.http.post('/customers', {
      id: 'zoe',
      name: 'Zoë 😀 \u{10FFFF}',
      email: 'zoe@example.com',
      creditLimit: 1,
    });
    expect(created.status).toBe(201);
    expect((await api.http.get('/customers/zoe')).body.name).toBe('Zoë 😀 \u{10FFFF}');
    const [{ name }] = await api.sql.query(`SELECT name FROM customers WHERE id = 'zoe'`);
    expect(name).toBe('Zoë 😀 \u{10FFFF}');
    const listed = await api.http.get(
      `/violations?invariant=${encodeURIComponent('crédit 😀')}&status=open&limit=1000`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([]);
    expect((await api.http.get('/customers/%7A%6F%65')).status).toBe(200);
  });
});
