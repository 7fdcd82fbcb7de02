import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { RegisterCustomerCommand } from '../../src/customers/register-customer';
import { ApplyCouponCommand } from '../../src/orders/apply-coupon';
import { HoldOrderCommand } from '../../src/orders/hold-order';
import { httpClient, HttpClient } from '../support/http';
import { RoundTripCounter } from '../support/round-trip-counter';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

/**
 * What a command costs in round trips to PostgreSQL (every statement,
 * BEGIN and COMMIT included), counted on the wire between the service and
 * the database. The sagas are off, so the service sends nothing else.
 */
describe('round trips per command', () => {
  let db: TestDatabase;
  let counter: RoundTripCounter;
  let app: TestApp;
  let http: HttpClient;
  let sql: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    counter = await new RoundTripCounter(target.hostname, Number(target.port)).start();
    app = await startTestApp(counter.url(db.url), { runtime: { enabled: false } });
    http = httpClient(app.url);
    sql = await openDataSource(db.url, 2);
    // Warm the pool: connection set-up is not a command's cost.
    await http.post('/customers', { id: 'warm', name: 'Warm', email: 'warm@example.com', creditLimit: 1000 });
    await http.post('/orders', { id: 'warm-o', customerId: 'warm', total: 1 });
  });
  afterAll(async () => {
    await app?.close();
    await sql?.destroy();
    await counter?.stop();
    await db?.drop();
  });

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

  it("applies a coupon in three: the order, the coupon's limit and uses, the write", async () => {
    expect((await http.post('/coupons', { id: 'k', code: 'K', maxUses: 5, discount: 10 })).status).toBe(201);
    expect((await http.post('/orders', { id: 'o-2', customerId: 'c', total: 50 })).status).toBe(201);
    const apply = await roundTrips(() => app.app.get(CommandBus).execute(new ApplyCouponCommand('o-2', 'k')));
    expect(apply).toBe(3);
    expect((await http.get('/coupons/k')).body.uses).toBe(1);
  });
});
