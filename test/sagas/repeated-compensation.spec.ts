import { CommandBus } from '@nestjs/cqrs';
import { HoldOrderCommand } from '../../src/orders/hold-order';
import { CommandAlreadyExecuted } from '../../src/commands/command-runner';
import { ApiFixture, startApi } from '../support/api-fixture';

describe('a compensating command with a deterministic id', () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await startApi({ runtime: { enabled: false } });
    await api.http.post('/customers', { id: 'rep', name: 'Rep', email: 'rep@example.com', creditLimit: 1000 });
    await api.http.post('/orders', { id: 'r1', customerId: 'rep', total: 100 });
  });
  afterAll(() => api.close());

  const holds = async () =>
    (
      await api.sql.query(
        `SELECT count(*)::int AS n FROM event_log WHERE event_type = 'OrderPutOnHold' AND stream_id = 'order-r1'`,
      )
    )[0].n;

  it('has one effect when executed twice, or ten times at once', async () => {
    const bus = api.app.app.get(CommandBus);
    const hold = () => bus.execute(new HoldOrderCommand('r1', 'test', 'v-1', { commandId: 'hold-r1-once' }));

    const results = await Promise.allSettled(Array.from({ length: 10 }, hold));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(CommandAlreadyExecuted);
    }
    await expect(hold()).rejects.toBeInstanceOf(CommandAlreadyExecuted);

    expect(await holds()).toBe(1);
    const [{ n }] = await api.sql.query(
      `SELECT count(*)::int AS n FROM executed_commands WHERE command_id = 'hold-r1-once'`,
    );
    expect(n).toBe(1);
    expect((await api.http.get('/orders/r1')).body).toMatchObject({ status: 'on_hold', version: 2 });
  });
});
