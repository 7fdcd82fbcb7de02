import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { eventually } from '../../src/testing/eventually';
import { CountingModule, TICK_EFFECTS_DDL } from '../fixtures/counting.saga';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { SecondCluster, startSecondCluster } from '../support/second-cluster';

/**
 * The writer runs no sagas; the reader polls once a minute, so within the
 * deadlines below only a wake-up can get it to an event: the writer's
 * NOTIFY after each commit. A cluster of its own: a transaction of another
 * test file on a shared server would hold every reader's horizon back, and
 * its end wakes nobody.
 */
describe('wake-ups across instances', () => {
  let cluster: SecondCluster;
  let reader: RunningApp;
  let writer: RunningApp;

  beforeAll(async () => {
    cluster = await startSecondCluster();
    reader = await startBackstopApp(
      { databaseUrl: cluster.url, runtime: { instanceId: 'reader', pollIntervalMs: 60_000 } },
      [CountingModule],
    );
    writer = await startBackstopApp({ databaseUrl: cluster.url, runtime: { instanceId: 'writer', enabled: false } });
    await writer.app.get(DataSource).query(TICK_EFFECTS_DDL);
  }, 120_000);
  afterAll(async () => {
    await writer?.close();
    await reader?.close();
    await cluster?.stop();
  });

  it('processes every event the writer commits, burst after burst, without waiting for a poll', async () => {
    const sql = writer.app.get(DataSource);
    const log = writer.app.get(EventLogService);
    await eventually(async () => {
      const [{ n }] = await sql.query(
        `SELECT count(*)::int AS n FROM saga_partitions WHERE saga = 'counting' AND owner = 'reader'`,
      );
      expect(n).toBe(4);
    });
    const counted = async () => (await sql.query(`SELECT count(*)::int AS n FROM tick_effects`))[0].n as number;
    let written = 0;
    // Bursts of 1 to 6 concurrent commits: one NOTIFY may cover several, none may be left uncovered.
    for (let round = 0; round < 24; round++) {
      const size = 1 + (round % 6);
      await Promise.all(
        Array.from({ length: size }, (_, i) =>
          sql.transaction((tx) =>
            log.append(tx, { type: 'Ticker', id: `r${round}-${i}` }, 0, [
              { type: 'Tick', payload: { key: `k-${(round * 7 + i) % 13}` } },
            ]),
          ),
        ),
      );
      written += size;
      // Each round waits for its effects, so the reader is idle, waiting on its minute, when the next one commits.
      await eventually(async () => expect(await counted()).toBe(written), { timeoutMs: 20_000 });
    }
    const [{ done }] = await sql.query(
      `SELECT count(*)::int AS done FROM command_outbox WHERE command_type = 'RecordTick' AND status = 'done'`,
    );
    expect(done).toBe(written);
  }, 180_000);
});
