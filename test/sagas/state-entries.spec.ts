import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { OutputWriter } from '../../src/sagas/output-writer';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import { PartitionProcessor } from '../../src/sagas/partition-processor';
import { RegisteredSaga, SagaRegistry } from '../../src/sagas/saga-registry';
import { foldEvents, toSagaEvent } from '../../src/sagas/saga-fold';
import { stateStore } from '../../src/sagas/state-store';
import { Saga } from '../../src/saga-api/saga.decorator';
import { SagaDefinition, SagaEvent } from '../../src/saga-api/saga.types';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { holdPartitions } from '../support/held-partitions';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

interface Ledger {
  items: Record<string, { n: number; tags: string[] }>;
  puts: number;
}

/** Put sets an item, Drop removes it: `items` is the map the runtime keeps one row per entry. */
@Saga({ name: 'ledger', events: ['Put', 'Drop'], key: 'key', partitions: 1, entries: 'items' })
class LedgerSaga implements SagaDefinition<Ledger> {
  initialState(): Ledger {
    return { items: {}, puts: 0 };
  }
  evolve(state: Ledger, event: SagaEvent) {
    const { item, n } = event.payload;
    if (event.type === 'Put') {
      state.items[item] = { n, tags: [`t${n}`] };
      state.puts += 1;
    } else if (event.type === 'Drop') delete state.items[item];
    return state;
  }
  decide() {
    return [];
  }
}

@Module({ providers: [LedgerSaga] })
class LedgerModule {}

const HOT = 'hot';
const ENTRIES = 2_000;

describe('a state field kept one row per entry', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let app: RunningApp;
  let processor: PartitionProcessor;
  let saga: RegisteredSaga;
  let leases: PartitionLeases;
  const appended: SagaEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 3);
    // Runtime off: the test drives the partition itself.
    app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } }, [LedgerModule]);
    saga = app.app.get(SagaRegistry).get('ledger')!;
    processor = new PartitionProcessor(sql, new EventLogService(sql), app.app.get(OutputWriter));
    leases = new PartitionLeases(db.url, 'state-entries-test', 600_000, () => undefined);
    await holdPartitions(sql, leases, saga);
    await append(Array.from({ length: ENTRIES }, (_, i) => ({ type: 'Put', key: HOT, item: `item-${i}`, n: i })));
    await processed(ENTRIES);
  });
  afterAll(async () => {
    await leases?.releaseAll();
    await app?.close();
    await sql?.destroy();
    await db?.drop();
  });

  async function append(events: { type: string; key: string; item: string; n?: number }[]): Promise<void> {
    const stream = { type: 'Test', id: `ledger-${appended.length}` };
    const recorded = await sql.transaction((tx) =>
      new EventLogService(sql).append(
        tx,
        stream,
        0,
        events.map(({ type, ...payload }) => ({ type, payload })),
      ),
    );
    appended.push(...recorded.map(toSagaEvent));
  }

  /** Runs the partition until it has processed `expected` events in all. */
  async function processed(expected: number): Promise<void> {
    let done = 0;
    await eventually(async () => {
      const result = await processor.run(saga, 0, 500, leases.fence(saga.name, 0));
      if (result.kind === 'progress') done += result.events;
      expect(done).toBe(expected);
    });
  }

  const entryRows = async (key = HOT): Promise<Map<string, string>> =>
    new Map(
      (
        await sql.query(`SELECT entry, xmin::text AS xmin FROM saga_state_entries WHERE saga = 'ledger' AND key = $1`, [
          key,
        ])
      ).map((row: { entry: string; xmin: string }) => [row.entry, row.xmin]),
    );

  /** The state folded from every event in memory, as a whole state would read back from jsonb. */
  async function foldedWhole(key: string) {
    const events = appended.filter((event) => event.payload.key === key).map((event) => ({ event, key }));
    const { states } = foldEvents(saga, new Map(), events);
    return (await sql.query(`SELECT $1::jsonb AS state`, [JSON.stringify(states.get(key))]))[0].state;
  }

  async function loaded(key: string) {
    return sql.transaction(async (tx) => (await stateStore.load(tx, 'ledger', [key])).states.get(key));
  }

  it('stores the map one row per entry and hands the saga the state a whole one would read back as', async () => {
    expect((await entryRows()).size).toBe(ENTRIES);
    const [row] = await sql.query(`SELECT state, entries_field FROM saga_states WHERE saga = 'ledger' AND key = $1`, [
      HOT,
    ]);
    expect(row).toEqual({ state: { puts: ENTRIES }, entries_field: 'items' });
    // Key order included: a saga that iterates the map sees the same order either way.
    expect(JSON.stringify(await loaded(HOT))).toBe(JSON.stringify(await foldedWhole(HOT)));
  });

  it('writes only the entry a batch changed, and deletes only the entry a batch removed', async () => {
    const before = await entryRows();
    await append([{ type: 'Put', key: HOT, item: 'item-7', n: 70 }]);
    await processed(1);
    const afterChange = await entryRows();
    const rewritten = [...afterChange].filter(([entry, xmin]) => before.get(entry) !== xmin).map(([entry]) => entry);
    expect(rewritten).toEqual(['item-7']);

    await append([
      { type: 'Drop', key: HOT, item: 'item-9' },
      { type: 'Put', key: HOT, item: 'item-new', n: -1 },
    ]);
    await processed(2);
    const afterRemove = await entryRows();
    expect(afterRemove.has('item-9')).toBe(false);
    expect(afterRemove.size).toBe(ENTRIES);
    const touched = [...afterRemove].filter(([entry, xmin]) => afterChange.get(entry) !== xmin).map(([e]) => e);
    expect(touched).toEqual(['item-new']);
    expect(JSON.stringify(await loaded(HOT))).toBe(JSON.stringify(await foldedWhole(HOT)));
  });

  it('reads a state stored whole before the field was named, and splits it when it next writes it', async () => {
    const key = 'old';
    await append([
      { type: 'Put', key, item: 'a', n: 1 },
      { type: 'Put', key, item: 'b', n: 2 },
    ]);
    await processed(2);
    // Put back as the runtime stored it before the field was named: the whole state, no entry rows.
    await sql.query(`DELETE FROM saga_state_entries WHERE saga = 'ledger' AND key = $1`, [key]);
    await sql.query(
      `UPDATE saga_states SET state = $2::jsonb, entries_field = NULL WHERE saga = 'ledger' AND key = $1`,
      [key, JSON.stringify(await foldedWhole(key))],
    );
    expect(JSON.stringify(await loaded(key))).toBe(JSON.stringify(await foldedWhole(key)));

    await append([{ type: 'Drop', key, item: 'a' }]);
    await processed(1);
    const [row] = await sql.query(`SELECT state, entries_field FROM saga_states WHERE saga = 'ledger' AND key = $1`, [
      key,
    ]);
    expect(row).toEqual({ state: { puts: 2 }, entries_field: 'items' });
    expect([...(await entryRows(key)).keys()]).toEqual(['b']);
    expect(await loaded(key)).toEqual({ items: { b: { n: 2, tags: ['t2'] } }, puts: 2 });
  });
});
