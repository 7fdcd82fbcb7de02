import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { Order } from '../../src/orders/order.aggregate';
import { OrderRepository } from '../../src/orders/order.repository';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

/**
 * The stored `event_type` is each event's explicit type string, never the
 * name of a class: a minifier or a rename of a class must not change what is
 * stored (sagas, SQL and metrics select on it), and payloads stay as they were.
 * A minified build is simulated by moving the recorded events onto a class
 * named `e` and onto an anonymous class before the repository appends them.
 */
describe('stable stored event types', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let orders: OrderRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource(db.url);
    orders = new OrderRepository(new EventLogService(dataSource));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const stored = async (orderId: string) =>
    dataSource.query(`SELECT event_type AS type, payload FROM event_log WHERE stream_id = $1 ORDER BY stream_version`, [
      orders.streamId(orderId),
    ]);

  /** Re-parents the recorded events onto `to`: their own fields stay, their constructor is no longer theirs. */
  const renameClasses = (order: Order, to: abstract new () => object): void => {
    for (const event of order.getUncommittedEvents()) Object.setPrototypeOf(event, to.prototype);
  };

  const credit = { customerId: 'c-stable', creditLimit: 1000, exposure: 0, exceeds: (added: number) => added > 1000 };

  it.each([
    ['a minified-like class name', class e {}],
    ['an anonymous class', (() => class {})()],
  ])('stores the explicit type and the same payload when the event class has %s', async (_, renamed) => {
    const orderId = `o-stable-${renamed.name || 'anonymous'}`;
    expect(['e', '']).toContain(renamed.name);

    const order = Order.create(orderId, 400, credit);
    renameClasses(order, renamed);
    await dataSource.transaction((tx) => orders.save(tx, order));

    await dataSource.transaction(async (tx) => {
      const loaded = await orders.get(tx, orderId);
      loaded.hold('over limit', 'v-1');
      renameClasses(loaded, renamed);
      await orders.save(tx, loaded);
    });

    expect(await stored(orderId)).toEqual([
      { type: 'OrderCreated', payload: { orderId, customerId: 'c-stable', total: 400 } },
      {
        type: 'OrderPutOnHold',
        payload: { orderId, customerId: 'c-stable', reason: 'over limit', violationId: 'v-1' },
      },
    ]);
  });
});
