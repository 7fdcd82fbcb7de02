import { DataSource, QueryRunner } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { quiescent } from '../support/quiescence';
import { Stack, stack } from '../support/invariant-stack';

/**
 * Holds a saga's compensations between its decision and their execution:
 * the saga's transaction waits to write its outbox rows, which this session
 * locks (SHARE: it takes no transaction id, so it holds back no reader of
 * the log); user commands never touch the outbox. Released once
 * `meanwhile` has changed the order under the decision.
 */
async function withDecisionHeld(sql: DataSource, meanwhile: () => Promise<void>): Promise<void> {
  const gate: QueryRunner = sql.createQueryRunner();
  await gate.connect();
  await gate.startTransaction();
  try {
    await gate.query('LOCK TABLE command_outbox IN SHARE MODE');
    await meanwhile();
  } finally {
    if (gate.isTransactionActive) await gate.commitTransaction();
    await gate.release();
  }
}

const decisionWaiting = (sql: DataSource) =>
  eventually(
    async () => {
      const [{ n }] = await sql.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        ['INSERT INTO command_outbox%'],
      );
      expect(n).toBeGreaterThanOrEqual(1);
    },
    { timeoutMs: 20_000 },
  );

const rejections = async (sql: DataSource) =>
  (
    await sql.query(
      `SELECT payload FROM event_log WHERE event_type = 'CompensationRejected' ORDER BY transaction_id, position`,
    )
  ).map((row: { payload: Record<string, unknown> }) => row.payload);

const outbox = async (sql: DataSource, type: string) =>
  (await sql.query(
    `SELECT command_id, payload->>'orderId' AS "orderId", status, last_error FROM command_outbox
      WHERE command_type = $1 ORDER BY created_at`,
    [type],
  )) as {
    command_id: string;
    orderId: string;
    status: string;
    last_error: string | null;
  }[];

const sagaState = async (sql: DataSource, saga: string, key: string) =>
  (await sql.query(`SELECT state FROM saga_states WHERE saga = $1 AND key = $2`, [saga, key]))[0].state;

describe('a compensation the domain refuses', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await stack();
  }, 60_000);
  afterAll(() => s.close());

  it(
    'coupon-usage: a revocation refused because the order was cancelled ' +
      'meanwhile is told to the saga, which goes on and resolves',
    async () => {
      await s.http.post('/customers', { id: 'kim', name: 'Kim', email: 'kim@example.com', creditLimit: 1_000_000 });
      await s.http.post('/coupons', { id: 'trio', code: 'TRIO', maxUses: 3, discount: 50 });
      for (const id of ['t1', 't2', 't3']) {
        await s.http.post('/orders', { id, customerId: 'kim', total: 500 });
        expect((await s.http.post(`/orders/${id}/coupon`, { couponId: 'trio' })).status).toBe(200);
      }

      await withDecisionHeld(s.sql, async () => {
        // 3 uses of 1: the saga revokes from t3 and t2, newest first; t3 is cancelled before that runs.
        expect((await s.http.put('/coupons/trio/max-uses', { maxUses: 1 })).status).toBe(200);
        await decisionWaiting(s.sql);
        expect((await s.http.post('/orders/t3/cancel', {})).status).toBe(200);
      });
      await quiescent(s.sql);

      const commands = await outbox(s.sql, 'RevokeCoupon');
      expect(commands.map(({ orderId, status }) => ({ orderId, status }))).toEqual([
        { orderId: 't3', status: 'rejected' },
        { orderId: 't2', status: 'done' },
      ]);
      expect(commands[0].last_error).toMatch(/cannot revoke the coupon of order t3: it is cancelled/);
      expect(await rejections(s.sql)).toEqual([
        expect.objectContaining({
          saga: 'coupon-usage',
          key: 'trio',
          couponId: 'trio',
          commandId: commands[0].command_id,
          commandType: 'RevokeCoupon',
          orderId: 't3',
          code: 'INVALID_STATE',
        }),
      ]);
      // The cancelled order keeps its coupon: no CouponRevoked follows its OrderCancelled.
      expect((await s.http.get('/orders/t3')).body).toMatchObject({ status: 'cancelled', couponId: 'trio' });
      expect((await s.http.get('/orders/t2')).body).toMatchObject({ status: 'open', couponId: null });
      expect((await s.http.get('/coupons/trio')).body.uses).toBe(1);

      expect(await sagaState(s.sql, 'coupon-usage', 'trio')).toMatchObject({
        pendingRevokes: [],
        episode: null,
        uses: 1,
      });
      const [violation] = (await s.http.get('/violations?invariant=coupon-usage&key=trio')).body;
      expect(violation.status).toBe('resolved');
      await eventually(() =>
        expect(s.smtp.mails.filter((m) => m.headers['x-backstop-violation-id'] === violation.id)).toHaveLength(2),
      );
    },
  );

  it(
    'credit-limit: a hold refused because the order was completed ' +
      'meanwhile is told to the saga, which stops waiting for it and resolves',
    async () => {
      await s.http.post('/customers', { id: 'lou', name: 'Lou', email: 'lou@example.com', creditLimit: 1000 });
      for (const id of ['l1', 'l2', 'l3']) await s.http.post('/orders', { id, customerId: 'lou', total: 300 });

      await withDecisionHeld(s.sql, async () => {
        // 900 against 500: the saga holds l3 (-> 600) and l2 (-> 300); l3 is completed before that runs.
        expect((await s.http.put('/customers/lou/credit-limit', { creditLimit: 500 })).status).toBe(200);
        await decisionWaiting(s.sql);
        expect((await s.http.post('/orders/l3/complete', {})).status).toBe(200);
      });
      await quiescent(s.sql);

      const commands = await outbox(s.sql, 'HoldOrder');
      expect(commands.map(({ orderId, status }) => ({ orderId, status }))).toEqual([
        { orderId: 'l3', status: 'rejected' },
        { orderId: 'l2', status: 'done' },
      ]);
      expect(await rejections(s.sql)).toContainEqual(
        expect.objectContaining({
          saga: 'credit-limit',
          key: 'lou',
          customerId: 'lou',
          commandId: commands[0].command_id,
          orderId: 'l3',
          code: 'INVALID_STATE',
        }),
      );
      expect((await s.http.get('/orders/l1')).body.status).toBe('open');
      expect((await s.http.get('/customers/lou')).body.exposure).toBe(300);
      expect(await sagaState(s.sql, 'credit-limit', 'lou')).toMatchObject({ pendingHolds: [], episode: null });
      const [violation] = (await s.http.get('/violations?invariant=credit-limit&key=lou')).body;
      expect(violation.status).toBe('resolved');
    },
  );
});
