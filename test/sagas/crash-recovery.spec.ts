import { DataSource } from 'typeorm';
import { eventually } from '../../src/testing/eventually';
import { TICK_EFFECTS_DDL } from '../fixtures/counting.saga';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';
import { keyMismatches, tickTotals, writeTicks } from '../support/tick-writers';
import { killHard, startWorker, Worker } from '../support/worker-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('saga runtime processes across crashes', () => {
  let db: TestDatabase;
  let sql: DataSource;
  const workers: Worker[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 15);
    await sql.query(TICK_EFFECTS_DDL);
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) if (worker.child.exitCode === null) await killHard(worker);
    await sql.destroy();
    await db.drop();
  });

  const expectExactlyOnce = async (total: number) => {
    await eventually(
      async () => expect(await tickTotals(sql)).toEqual({ counted: total, effects: total, distinctEvents: total }),
      {
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    expect(await keyMismatches(sql)).toEqual([]);
  };

  it('has every effect happen once when the worker is killed with SIGKILL 6 times while events flow', async () => {
    let worker = await startWorker(db.url, 'crashy');
    workers.push(worker);
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      const writing = writeTicks(sql, { writers: 8, total: 400, keys: 30, prefix: `r${round}` });
      await sleep(100 + Math.floor(Math.random() * 400));
      await killHard(worker);
      await writing;
      worker = await startWorker(db.url, `crashy-${round}`);
      workers.push(worker);
    }
    await expectExactlyOnce(rounds * 400);
    const [{ done }] = await sql.query(`SELECT count(*)::int AS done FROM command_outbox WHERE status = 'done'`);
    expect(done).toBe(rounds * 400);
  }, 150_000);

  it(
    'shares the partitions of one database fairly between two runtime ' +
      'processes, and the survivor takes them all when one is killed',
    async () => {
      const first = await startWorker(db.url, 'first');
      const second = await startWorker(db.url, 'second');
      workers.push(first, second);
      // They share the partitions out: two each.
      await eventually(
        async () => {
          const rows = await sql.query(
            `SELECT owner, count(*)::int AS n FROM saga_partitions WHERE saga = 'counting' GROUP BY owner
              ORDER BY owner`,
          );
          expect(rows).toEqual([
            { owner: 'first', n: 2 },
            { owner: 'second', n: 2 },
          ]);
        },
        { timeoutMs: 20_000 },
      );
      const writing = writeTicks(sql, { writers: 10, total: 2_000, keys: 40 });
      await eventually(async () => expect((await tickTotals(sql)).counted).toBeGreaterThan(0), { timeoutMs: 30_000 });
      await killHard(first);
      const survivor = 'second';
      await writing;
      await expectExactlyOnce(2_000);
      await eventually(
        async () => {
          const rows = await sql.query(`SELECT DISTINCT owner FROM saga_partitions WHERE saga = 'counting'`);
          expect(rows).toEqual([{ owner: survivor }]);
        },
        { timeoutMs: 20_000 },
      );
    },
    120_000,
  );
});
