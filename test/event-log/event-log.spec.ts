import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ConcurrencyConflictError } from '../../src/event-log/concurrency-conflict.error';
import { EventLogService } from '../../src/event-log/event-log.service';
import { LOG_START, NewEvent } from '../../src/event-log/event-log.types';
import { eventually } from '../../src/testing/eventually';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const stream = (id: string) => ({ type: 'Order', id });
const event = (type: string, payload: Record<string, unknown> = {}, tags: string[] = []): NewEvent => ({
  type,
  payload,
  tags,
});

describe('event log', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let log: EventLogService;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource(db.url);
    log = new EventLogService(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const countRows = async (streamId?: string): Promise<number> => {
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS n FROM event_log WHERE $1::text IS NULL OR stream_id = $1`,
      [streamId ?? null],
    );
    return row.n;
  };

  it('reads back what was appended: payload, metadata, tags, versions and order', async () => {
    const eventId = randomUUID();
    await dataSource.transaction((manager) =>
      log.append(manager, stream('o-1'), 0, [
        {
          type: 'OrderCreated',
          payload: { orderId: 'o-1', customerId: 'c-1', total: 500, nested: { a: [1, 2] } },
          tags: ['order:o-1', 'customer:c-1'],
          metadata: { eventId, correlationId: 'corr-1', causationId: 'cause-1', commandId: 'cmd-1' },
        },
        event('OrderTotalChanged', { orderId: 'o-1', newTotal: 700 }, ['order:o-1', 'customer:c-1']),
      ]),
    );
    await dataSource.transaction((manager) => log.append(manager, stream('o-1'), 2, [event('OrderCancelled')]));

    const read = await log.readStream('o-1');
    expect(read.map((e) => [e.type, e.streamVersion, e.streamType])).toEqual([
      ['OrderCreated', 1, 'Order'],
      ['OrderTotalChanged', 2, 'Order'],
      ['OrderCancelled', 3, 'Order'],
    ]);
    expect(read[0].payload).toEqual({ orderId: 'o-1', customerId: 'c-1', total: 500, nested: { a: [1, 2] } });
    expect(read[0].metadata).toEqual({ eventId, correlationId: 'corr-1', causationId: 'cause-1', commandId: 'cmd-1' });
    expect(read[0].tags).toEqual(['order:o-1', 'customer:c-1']);
    expect(read[1].metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(read[0].position).toBeLessThan(read[1].position);
    expect(BigInt(read[0].transactionId)).toBeLessThan(BigInt(read[2].transactionId));

    const byTag = await log.readByTag('customer:c-1');
    expect(byTag.map((e) => e.type)).toEqual(['OrderCreated', 'OrderTotalChanged']);
  });

  it('refuses a stale or a future expected version with a typed error and writes nothing', async () => {
    await dataSource.transaction((manager) => log.append(manager, stream('o-2'), 0, [event('OrderCreated')]));
    const before = await countRows();

    for (const expected of [0, 2, 5]) {
      const attempt = dataSource.transaction((manager) =>
        log.append(manager, stream('o-2'), expected, [event('OrderCancelled'), event('OrderReleased')]),
      );
      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyConflictError);
      await expect(attempt).rejects.toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        streamId: 'o-2',
        expectedVersion: expected,
      });
    }
    expect(await countRows()).toBe(before);
    expect((await log.readStream('o-2')).map((e) => e.streamVersion)).toEqual([1]);
  });

  it('lets exactly one of 50 concurrent appends at the same expected version win', async () => {
    await dataSource.transaction((manager) => log.append(manager, stream('o-3'), 0, [event('OrderCreated')]));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        dataSource.transaction((manager) =>
          log.append(manager, stream('o-3'), 1, [
            event('OrderTotalChanged', { writer: i }),
            event('Extra', { writer: i }),
          ]),
        ),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const failure of lost) expect(failure.reason).toBeInstanceOf(ConcurrencyConflictError);

    const versions = (await log.readStream('o-3')).map((e) => e.streamVersion);
    expect(versions).toEqual([1, 2, 3]);
  });

  it('never lets a reader pass an event whose transaction commits after a later-numbered one', async () => {
    await dataSource.transaction((manager) => log.append(manager, stream('ooo-0'), 0, [event('Before')]));
    // Other databases on the server can hold every reader back for a moment: wait until 'Before' is readable.
    const start = await eventually(async () => {
      const { events, checkpoint } = await log.readAll(LOG_START, 10_000);
      expect(events.map((e) => e.type)).toContain('Before');
      return checkpoint;
    });

    const slow = dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      const [a] = await log.append(slow.manager, stream('ooo-a'), 0, [event('FromA')]);
      const [b] = await dataSource.transaction((manager) => log.append(manager, stream('ooo-b'), 0, [event('FromB')]));
      expect(b.position).toBeGreaterThan(a.position);

      // B is committed, A is still open: the reader must hold back B.
      const whileOpen = await log.readAll(start, 100);
      expect(whileOpen.events).toEqual([]);
      expect(whileOpen.checkpoint).toEqual(start);

      await slow.commitTransaction();
      await eventually(async () => {
        const afterCommit = await log.readAll(whileOpen.checkpoint, 100);
        expect(afterCommit.events.map((e) => e.type)).toEqual(['FromA', 'FromB']);
      });
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
  });

  it('shows a reader every committed event exactly once under 20 concurrent writers', async () => {
    const { checkpoint: origin } = await log.readAll(LOG_START, 100_000);
    const seen = new Map<string, number>();
    let writing = true;
    let target = Infinity;
    let checkpoint = origin;

    // An empty batch does not mean "caught up": the reader also waits for
    // transactions of other databases on the same server. It stops once it
    // has seen as many events as were committed, or at the deadline.
    const reader = (async () => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const batch = await log.readAll(checkpoint, 50);
        for (const e of batch.events) {
          if (e.streamId.startsWith('w-')) seen.set(e.metadata.eventId, (seen.get(e.metadata.eventId) ?? 0) + 1);
        }
        checkpoint = batch.checkpoint;
        if (!writing && seen.size >= target) return;
        if (batch.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const deadline = Date.now() + 3_000;
    const writers = Array.from({ length: 20 }, async (_, writer) => {
      let version = 0;
      let rolledBack = 0;
      while (Date.now() < deadline) {
        const size = 1 + ((version + writer) % 3);
        const rollback = (version + writer) % 7 === 0 && rolledBack < 3;
        await dataSource
          .transaction(async (manager) => {
            await log.append(
              manager,
              stream(`w-${writer}`),
              version,
              Array.from({ length: size }, () => event('Tick')),
            );
            // Hold some transactions open so commits land out of position order.
            if (writer % 4 === 0) await new Promise((resolve) => setTimeout(resolve, 5 + (writer % 13)));
            if (rollback) throw new Error('rollback');
          })
          .then(
            () => (version += size),
            () => rolledBack++,
          );
      }
    });
    await Promise.all(writers);
    const committed: { event_id: string }[] = await dataSource.query(
      `SELECT event_id FROM event_log WHERE stream_id LIKE 'w-%'`,
    );
    target = committed.length;
    writing = false;
    await reader;

    expect(committed.length).toBeGreaterThan(200);
    expect(seen.size).toBe(committed.length);
    for (const { event_id } of committed) expect(seen.get(event_id)).toBe(1);
  }, 90_000);

  it('reads a partition, or everything, no further than an until bound', async () => {
    const appended = await dataSource.transaction((manager) =>
      log.append(
        manager,
        stream('u-1'),
        0,
        Array.from({ length: 6 }, (_, i) => event('Bounded', { key: `k-${i % 2}`, n: i })),
      ),
    );
    const [, , third] = appended;
    const until = { transactionId: third.transactionId, position: third.position };
    const options = { types: ['Bounded'], keyField: 'key', partitions: 1, partition: 0 };

    // Until other sessions' older transactions end, the append is not commit-safe yet.
    await eventually(async () => expect((await log.readPartition(LOG_START, 100, options)).events).toHaveLength(6), {
      timeoutMs: 30_000,
    });
    const bounded = await log.readPartition(LOG_START, 100, options, until);
    expect(bounded.events.map((e) => e.payload.n)).toEqual([0, 1, 2]);
    expect(bounded.checkpoint).toEqual(until);
    expect((await log.readPartition(until, 100, options, until)).events).toEqual([]);
    expect((await log.readAll(LOG_START, 100, { types: ['Bounded'] }, until)).events.map((e) => e.payload.n)).toEqual([
      0, 1, 2,
    ]);
  });
});
