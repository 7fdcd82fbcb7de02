import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { forcedRace } from '../support/forced-race';
import { quiescent } from '../support/quiescence';
import { stack } from '../support/invariant-stack';

const orderPositions = async (sql: DataSource, customerId: string) =>
  (
    await sql.query(
      `SELECT payload->>'orderId' AS id FROM event_log WHERE event_type = 'OrderCreated' AND tags @> ARRAY[$1]
        ORDER BY transaction_id, position`,
      [`customer:${customerId}`],
    )
  ).map((row: { id: string }) => row.id) as string[];

describe('credit-limit invariant, end to end', () => {
  it(
    'react: 40 racing orders of 100 against 1000 are brought back within ' +
      'the limit by holding the newest, with one alert and one resolution mail',
    async () => {
      const s = await stack();
      try {
        await s.http.post('/customers', { id: 'ada', name: 'Ada', email: 'ada@example.com', creditLimit: 1000 });
        const answers = await forcedRace(
          s.sql,
          () =>
            Array.from({ length: 40 }, (_, i) =>
              s.http.post('/orders', { id: `o-${i}`, customerId: 'ada', total: 100 }),
            ),
          12,
        );
        const accepted = answers.filter((a) => a.status === 201).length;
        expect(accepted).toBeGreaterThan(10);
        await quiescent(s.sql);

        expect((await s.http.get('/customers/ada')).body.exposure).toBeLessThanOrEqual(1000);
        const held = (await s.sql.query(`SELECT id FROM orders WHERE customer_id = 'ada' AND status = 'on_hold'`)).map(
          (r: { id: string }) => r.id,
        );
        const newestFirst = (await orderPositions(s.sql, 'ada')).reverse();
        expect(held.sort()).toEqual(newestFirst.slice(0, accepted - 10).sort());

        const violations = (await s.http.get('/violations?invariant=credit-limit&key=ada')).body;
        expect(violations).toHaveLength(1);
        expect(violations[0]).toMatchObject({ invariant: 'credit-limit', key: 'ada', status: 'resolved' });
        expect(violations[0].reactions.commands).toHaveLength(accepted - 10);
        expect(violations[0].reactions.commands.every((c: { status: string }) => c.status === 'done')).toBe(true);

        await eventually(() => expect(s.smtp.mails).toHaveLength(2));
        const [opened] = s.smtp.byAlert('opened');
        const [resolved] = s.smtp.byAlert('resolved');
        expect(opened.headers['x-backstop-violation-id']).toBe(violations[0].id);
        expect(resolved.headers['x-backstop-violation-id']).toBe(violations[0].id);
        expect(opened.subject).toMatch(/^\[Backstop\] Violation opened: credit-limit for customer Ada/);
        expect(resolved.subject).toMatch(/^\[Backstop\] Violation resolved: credit-limit/);
        expect(opened.headers['message-id']).toBe(`<${violations[0].id}.opened@backstop>`);
        expect(opened.to).toEqual(['ops@example.com']);
        expect(opened.raw).toMatch(/^X-Backstop-Violation-Id: /m);
        expect(opened.raw).toMatch(/^X-Backstop-Alert: opened$/m);
        expect((await s.http.get(`/violations/${violations[0].id}`)).body.reactions.mails).toEqual([
          expect.objectContaining({ kind: 'opened', status: 'sent' }),
          expect.objectContaining({ kind: 'resolved', status: 'sent' }),
        ]);
      } finally {
        await s.close();
      }
    },
    60_000,
  );

  it('prevent: the same race accepts exactly 1000 worth, opens no episode and sends no mail', async () => {
    const s = await stack({ 'credit-limit': { strategy: 'prevent' } });
    try {
      await s.http.post('/customers', { id: 'bob', name: 'Bob', email: 'bob@example.com', creditLimit: 1000 });
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => s.http.post('/orders', { id: `p-${i}`, customerId: 'bob', total: 100 })),
      );
      expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
      await quiescent(s.sql);
      expect((await s.http.get('/violations')).body).toEqual([]);
      expect(await s.sql.query(`SELECT * FROM mail_outbox`)).toEqual([]);
      expect(s.smtp.mails).toEqual([]);
      const [invariant] = (await s.http.get('/invariants')).body;
      expect(invariant).toMatchObject({
        name: 'credit-limit',
        key: 'customerId',
        strategy: 'prevent',
        openViolations: 0,
      });
    } finally {
      await s.close();
    }
  }, 60_000);

  it(
    'a lowered limit opens an episode and holds the newest orders ' +
      'first; with alert only, raising the limit resolves it',
    async () => {
      const s = await stack({ 'credit-limit': { reactions: ['alert'] } });
      try {
        await s.http.post('/customers', { id: 'cy', name: 'Cy', email: 'cy@example.com', creditLimit: 1000 });
        for (const id of ['c1', 'c2', 'c3']) await s.http.post('/orders', { id, customerId: 'cy', total: 300 });
        await s.http.put('/customers/cy/credit-limit', { creditLimit: 500 });
        await quiescent(s.sql);
        const [open] = (await s.http.get('/violations?status=open')).body;
        expect(open).toMatchObject({ key: 'cy', details: { creditLimit: 500, exposure: 900 } });
        expect((await s.http.get('/invariants')).body[0].openViolations).toBe(1);

        await s.http.put('/customers/cy/credit-limit', { creditLimit: 950 });
        await quiescent(s.sql);
        expect((await s.http.get(`/violations/${open.id}`)).body).toMatchObject({
          status: 'resolved',
          resolvedAt: expect.any(String),
        });
        expect(s.smtp.byAlert('opened')).toHaveLength(1);
        expect(s.smtp.byAlert('resolved')).toHaveLength(1);
      } finally {
        await s.close();
      }
    },
    60_000,
  );

  it(
    'with compensation, a lowered limit holds the newest orders ' +
      'first until exposure fits, which resolves the episode',
    async () => {
      const s = await stack();
      try {
        await s.http.post('/customers', { id: 'dee', name: 'Dee', email: 'dee@example.com', creditLimit: 1000 });
        for (const id of ['d1', 'd2', 'd3']) await s.http.post('/orders', { id, customerId: 'dee', total: 300 });
        await s.http.put('/customers/dee/credit-limit', { creditLimit: 350 });
        await quiescent(s.sql);
        const statuses = await s.sql.query(`SELECT id, status FROM orders WHERE customer_id = 'dee' ORDER BY id`);
        expect(statuses).toEqual([
          { id: 'd1', status: 'open' },
          { id: 'd2', status: 'on_hold' },
          { id: 'd3', status: 'on_hold' },
        ]);
        const [violation] = (await s.http.get('/violations?key=dee')).body;
        expect(violation.status).toBe('resolved');
        expect(violation.reactions.commands.map((c: { orderId: string }) => c.orderId)).toEqual(['d3', 'd2']);
      } finally {
        await s.close();
      }
    },
    60_000,
  );
});
