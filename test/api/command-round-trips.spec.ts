import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { RegisterCustomerCommand } from '../../src/customers/register-customer';
import { ChangeCouponLimitCommand } from '../../src/coupons/change-coupon-limit';
import { CreateCouponCommand } from '../../src/coupons/create-coupon';
import { ChangeCreditLimitCommand } from '../../src/customers/change-credit-limit';
import { ApplyCouponCommand } from '../../src/orders/apply-coupon';
import { CancelOrderCommand } from '../../src/orders/cancel-order';
import { ChangeOrderTotalCommand } from '../../src/orders/change-order-total';
import { CompleteOrderCommand } from '../../src/orders/complete-order';
import { HoldOrderCommand } from '../../src/orders/hold-order';
import { ReleaseOrderCommand } from '../../src/orders/release-order';
import { RevokeCouponCommand } from '../../src/orders/revoke-coupon';
import { CountedApp, startCountedApp } from '../support/counted-app';
import { HttpClient } from '../support/http';
import { RoundTripCounter } from '../support/round-trip-counter';
import { TestApp } from '../support/test-app';

/**
 * What a command costs in round trips to PostgreSQL (every statement,
 * BEGIN and COMMIT included), counted on the wire between the service and
 * the database. The sagas are off, so the service sends nothing else.
 */
describe('round trips per command', () => {
  let counted: CountedApp;
  let counter: RoundTripCounter;
  let app: TestApp;
  let http: HttpClient;
  let sql: DataSource;

  beforeAll(async () => {
    counted = await startCountedApp();
    ({ counter, app, http, sql } = counted);
    // Warm the pool: connection set-up is not a command's cost.
    await http.post('/customers', { id: 'warm', name: 'Warm', email: 'warm@example.com', creditLimit: 1000 });
    await http.post('/orders', { id: 'warm-o', customerId: 'warm', total: 1 });
  });
  afterAll(() => counted?.close());

  async function roundTrips(command: () => Promise<unknown>): Promise<number> {
    const before = counter.count;
    await command();
    return counter.count - before;
  }

  it('registers a customer in one and creates an order in two: read the credit, write row and event', async () => {
    // The command alone: POST /customers answers with a read of the customer view after it.
    const register = await roundTrips(() =>
      app.app.get(CommandBus).execute(new RegisterCustomerCommand('c', 'C', 'c@example.com', 1000)),
    );
    const create = await roundTrips(async () => {
      expect((await http.post('/orders', { id: 'o-1', customerId: 'c', total: 100 })).status).toBe(201);
    });
    expect({ register, create }).toEqual({ register: 1, create: 2 });
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM event_log WHERE stream_id = 'order-o-1'`);
    expect(n).toBe(1);
  });

  const repeat =
    'answers a repeat of a create as the first time, though its own order now fills the limit; another body is 409';
  it(repeat, async () => {
    // Inserted first, the repeat checks the credit before it meets its order: 100 + 800 + 800 > 1000.
    expect((await http.post('/orders', { id: 'o-big', customerId: 'c', total: 800 })).status).toBe(201);
    const repeat = await http.post('/orders', { id: 'o-big', customerId: 'c', total: 800 });
    expect(repeat.status).toBe(201);
    expect(repeat.body).toMatchObject({ id: 'o-big', total: 800, version: 1 });
    const other = await http.post('/orders', { id: 'o-big', customerId: 'c', total: 700 });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('ID_CONFLICT');
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM event_log WHERE stream_id = 'order-o-big'`);
    expect(n).toBe(1);
  });

  const hold = "holds an order in a saga's command in two: read the order, write row, event and the command's record";
  it(hold, async () => {
    const bus = app.app.get(CommandBus);
    const hold = await roundTrips(() =>
      bus.execute(new HoldOrderCommand('o-1', 'test', undefined, { commandId: 'hold-o-1' })),
    );
    expect(hold).toBe(2);
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM executed_commands WHERE command_id = 'hold-o-1'`);
    expect(n).toBe(1);
    await expect(
      bus.execute(new HoldOrderCommand('o-1', 'test', undefined, { commandId: 'hold-o-1' })),
    ).rejects.toThrow('already executed');
    const [{ events }] = await sql.query(`SELECT count(*)::int AS events FROM event_log WHERE stream_id = 'order-o-1'`);
    expect(events).toBe(2);
  });

  it("applies a coupon in two: the order with the coupon's limit and uses, the write", async () => {
    expect((await http.post('/coupons', { id: 'k', code: 'K', maxUses: 5, discount: 10 })).status).toBe(201);
    expect((await http.post('/orders', { id: 'o-2', customerId: 'c', total: 50 })).status).toBe(201);
    const apply = await roundTrips(() => app.app.get(CommandBus).execute(new ApplyCouponCommand('o-2', 'k')));
    expect(apply).toBe(2);
    expect((await http.get('/coupons/k')).body.uses).toBe(1);
  });

  it('runs every other command in at most two: a read (the row and the figures of its rule), a write', async () => {
    const bus = app.app.get(CommandBus);
    expect((await http.post('/orders', { id: 'o-3', customerId: 'c', total: 40 })).status).toBe(201);
    expect((await http.post('/orders', { id: 'o-4', customerId: 'c', total: 30 })).status).toBe(201);
    const saga = (id: string) => ({ commandId: id });
    const steps: [string, () => Promise<unknown>][] = [
      ['ChangeCreditLimit', () => bus.execute(new ChangeCreditLimitCommand('c', 2000))],
      ['CreateCoupon', () => bus.execute(new CreateCouponCommand('k2', 'K2', 3, 5, 0))],
      ['ChangeCouponLimit', () => bus.execute(new ChangeCouponLimitCommand('k2', 4))],
      ['ChangeOrderTotal', () => bus.execute(new ChangeOrderTotalCommand('o-3', 120))],
      ['ApplyCoupon', () => bus.execute(new ApplyCouponCommand('o-3', 'k2'))],
      ['HoldOrder', () => bus.execute(new HoldOrderCommand('o-3', 'by hand'))],
      ['ReleaseOrder', () => bus.execute(new ReleaseOrderCommand('o-3'))],
      ['RevokeCoupon', () => bus.execute(new RevokeCouponCommand('o-3', 'test', undefined, saga('revoke-o-3')))],
      ['CompleteOrder', () => bus.execute(new CompleteOrderCommand('o-3'))],
      ['CancelOrder', () => bus.execute(new CancelOrderCommand('o-4'))],
    ];
    const counts: Record<string, number> = {};
    for (const [name, command] of steps) counts[name] = await roundTrips(command);
    expect(counts).toEqual(Object.fromEntries(steps.map(([name]) => [name, name === 'CreateCoupon' ? 1 : 2])));

    const [{ types }] = await sql.query(
      `SELECT array_agg(event_type ORDER BY stream_version) AS types FROM event_log WHERE stream_id = 'order-o-3'`,
    );
    expect(types).toEqual([
      'OrderCreated',
      'OrderTotalChanged',
      'CouponApplied',
      'OrderPutOnHold',
      'OrderReleased',
      'CouponRevoked',
      'OrderCompleted',
    ]);
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM executed_commands WHERE command_id = 'revoke-o-3'`);
    expect(n).toBe(1);
  });
});
