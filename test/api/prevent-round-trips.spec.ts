import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ApplyCouponCommand } from '../../src/orders/apply-coupon';
import { ChangeOrderTotalCommand } from '../../src/orders/change-order-total';
import { CreateOrderCommand } from '../../src/orders/create-order';
import { HoldOrderCommand } from '../../src/orders/hold-order';
import { ReleaseOrderCommand } from '../../src/orders/release-order';
import { CountedApp, startCountedApp } from '../support/counted-app';
import { HttpClient } from '../support/http';
import { RoundTripCounter } from '../support/round-trip-counter';
import { TestApp } from '../support/test-app';

/**
 * Under `prevent` a checked command takes the key's advisory lock in a
 * transaction of its own, counted on the wire as in command-round-trips.spec:
 * BEGIN, the lock and the read go in one round trip (one Sync), the write and
 * COMMIT in the other.
 */
describe('round trips per command under prevent', () => {
  let counted: CountedApp;
  let counter: RoundTripCounter;
  let app: TestApp;
  let http: HttpClient;
  let sql: DataSource;

  beforeAll(async () => {
    const invariants = { 'credit-limit': { strategy: 'prevent' }, 'coupon-usage': { strategy: 'prevent' } } as const;
    counted = await startCountedApp({ invariants });
    ({ counter, app, http, sql } = counted);
    await http.post('/customers', { id: 'c', name: 'C', email: 'c@example.com', creditLimit: 1000 });
    await http.post('/coupons', { id: 'k', code: 'K', maxUses: 1, discount: 10 });
  });
  afterAll(() => counted?.close());

  async function roundTrips(command: () => Promise<unknown>): Promise<number> {
    const before = counter.count;
    await command().catch((error: { code?: string }) => expect(error.code).toBeDefined());
    return counter.count - before;
  }

  it('runs each checked command in two: BEGIN, lock and read; write and COMMIT', async () => {
    const bus = app.app.get(CommandBus);
    const counts = {
      CreateOrder: await roundTrips(() => bus.execute(new CreateOrderCommand('o-1', 'c', 100))),
      ChangeOrderTotal: await roundTrips(() => bus.execute(new ChangeOrderTotalCommand('o-1', 150))),
      ApplyCoupon: await roundTrips(() => bus.execute(new ApplyCouponCommand('o-1', 'k'))),
      ReleaseOrder: 0,
      refusedCreate: await roundTrips(() => bus.execute(new CreateOrderCommand('o-2', 'c', 2000))),
    };
    await bus.execute(new HoldOrderCommand('o-1', 'test'));
    counts.ReleaseOrder = await roundTrips(() => bus.execute(new ReleaseOrderCommand('o-1')));
    // A refused create also looks for an order with its id (a repeat answers as the first time), and ends its
    // transaction with a ROLLBACK.
    expect(counts).toEqual({ CreateOrder: 2, ChangeOrderTotal: 2, ApplyCoupon: 2, ReleaseOrder: 2, refusedCreate: 3 });

    expect((await http.get('/orders/o-1')).body).toMatchObject({
      total: 150,
      discount: 10,
      status: 'open',
      version: 5,
    });
    const [{ n }] = await sql.query(`SELECT count(*)::int AS n FROM orders WHERE id = 'o-2'`);
    expect(n).toBe(0);
    // No connection was handed back inside a transaction.
    const [{ open }] = await sql.query(
      `SELECT count(*)::int AS open FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    expect(open).toBe(0);
  });

  it('rolls back a transaction whose write failed in its round trip, and the connections go on', async () => {
    const bus = app.app.get(CommandBus);
    await http.post('/coupons', { id: 'k2', code: 'K2', maxUses: 10, discount: 1 });
    for (const id of ['o-3', 'o-4']) await bus.execute(new CreateOrderCommand(id, 'c', 10));
    // The same command id twice: the second write fails on executed_commands' key after its BEGIN and lock.
    await bus.execute(new ApplyCouponCommand('o-3', 'k2', { commandId: 'twice' }));
    await expect(bus.execute(new ApplyCouponCommand('o-4', 'k2', { commandId: 'twice' }))).rejects.toThrow(
      'already executed',
    );
    expect((await http.get('/orders/o-4')).body).toMatchObject({ couponId: null, version: 1 });
    const [{ open }] = await sql.query(
      `SELECT count(*)::int AS open FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    expect(open).toBe(0);
    for (let i = 0; i < 12; i++) await bus.execute(new ApplyCouponCommand('o-4', 'k2')).catch(() => undefined);
    expect((await http.get('/coupons/k2')).body.uses).toBe(2);
  });
});
