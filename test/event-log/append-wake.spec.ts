import { Client, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { EVENT_LOG_CHANNEL, parseNotice } from '../../src/event-log/append-notifier';
import { AppendSignal } from '../../src/event-log/append-signal';
import { EventLogService } from '../../src/event-log/event-log.service';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

/** A LISTEN connection that keeps what it receives; `marker()` proves that nothing else came before it. */
async function listen(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const received: Notification[] = [];
  client.on('notification', (message) => received.push(message));
  await client.query(`LISTEN ${EVENT_LOG_CHANNEL}`);
  return {
    received,
    /** NOTIFY from a connection of its own, and wait for it: the queue delivers in commit order. */
    async marker(name: string): Promise<void> {
      const other = new Client({ connectionString: url });
      await other.connect();
      await other.query(`SELECT pg_notify($1, $2)`, [EVENT_LOG_CHANNEL, name]);
      await other.end();
      await eventually(() => expect(received.map((m) => m.payload)).toContain(name));
    },
    end: () => client.end(),
  };
}

/** A notice by its sender; a marker as it is. */
const said = (message: { payload?: string }) =>
  message.payload?.startsWith('{') ? parseNotice(message.payload).origin : message.payload;

const tick = (n: number) => [{ type: 'Tick', payload: { key: `k-${n}` } }];

describe('wake-ups after commit', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  describe('an instance that runs no sagas', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startBackstopApp({ databaseUrl: db.url, runtime: { enabled: false } });
    });
    afterAll(async () => {
      await app.close();
    });

    const noTrigger =
      'has no NOTIFY trigger on the log: a held-open append notifies nobody, ' +
      'its commit is announced by another connection';
    it(noTrigger, async () => {
      const dataSource = app.app.get(DataSource);
      expect(
        await dataSource.query(
          `SELECT tgname FROM pg_trigger WHERE tgrelid = 'event_log'::regclass AND NOT tgisinternal`,
        ),
      ).toEqual([]);
      expect(await dataSource.query(`SELECT proname FROM pg_proc WHERE proname = 'event_log_notify'`)).toEqual([]);

      const listener = await listen(db.url);
      const runner = dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        const [{ pid }] = await runner.query(`SELECT pg_backend_pid() AS pid`);
        await app.app.get(EventLogService).append(runner.manager, { type: 'Ticker', id: 'held' }, 0, tick(1));
        await listener.marker('before-commit');
        expect(listener.received.map((m) => m.payload)).toEqual(['before-commit']);

        await runner.commitTransaction();
        await eventually(() => expect(listener.received).toHaveLength(2));
        const [, announced] = listener.received;
        expect(announced.processId).not.toBe(pid);
        // Its own session, in autocommit: nothing serializes commands on the NOTIFY lock.
        await eventually(async () =>
          expect(
            await dataSource.query(`SELECT application_name, state FROM pg_stat_activity WHERE pid = $1`, [
              announced.processId,
            ]),
          ).toEqual([{ application_name: 'backstop-notify', state: 'idle' }]),
        );
        // Who sent it, and what its commits appended: only sagas subscribed to a Tick need to read.
        expect(parseNotice(announced.payload!)).toEqual({ origin: app.app.get(AppendSignal).origin, types: ['Tick'] });
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
        await listener.end();
      }
    });

    it('announces no rolled-back append', async () => {
      const dataSource = app.app.get(DataSource);
      const listener = await listen(db.url);
      try {
        await dataSource
          .transaction(async (tx) => {
            await app.app.get(EventLogService).append(tx, { type: 'Ticker', id: 'rolled-back' }, 0, tick(2));
            throw new Error('roll back');
          })
          .catch(() => undefined);
        await listener.marker('after-rollback');
        expect(listener.received.map((m) => m.payload)).toEqual(['after-rollback']);
      } finally {
        await listener.end();
      }
    });
  });

  it('sends one more NOTIFY for all the commits made while one is on its way, however many', async () => {
    const proxy = await new TcpProxy('127.0.0.1', Number(new URL(db.url).port)).start();
    const dataSource = await openDataSource(db.url, 10);
    const signal = new AppendSignal(dataSource, proxy.url(db.url));
    const log = new EventLogService(dataSource, undefined, signal);
    const listener = await listen(db.url);
    const append = (stream: string) =>
      dataSource.transaction((tx) => log.append(tx, { type: 'Ticker', id: stream }, 0, tick(3)));
    try {
      await append('c-first');
      await eventually(() => expect(listener.received).toHaveLength(1));

      proxy.partition(); // the next NOTIFY is held on its way
      await append('c-held');
      await Promise.all(Array.from({ length: 50 }, (_, i) => append(`c-meanwhile-${i}`)));
      await listener.marker('while-held');
      expect(listener.received.map(said)).toEqual([signal.origin, 'while-held']);

      proxy.heal();
      await eventually(() => expect(listener.received).toHaveLength(4));
      await listener.marker('after');
      expect(listener.received.map(said)).toEqual([signal.origin, 'while-held', signal.origin, signal.origin, 'after']);
    } finally {
      await signal.stop();
      await listener.end();
      await dataSource.destroy();
      await proxy.stop();
    }
  });
});
