import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { eventually } from '../../src/testing/eventually';
import { CountingModule, TICK_EFFECTS_DDL } from '../fixtures/counting.saga';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { SecondCluster, startSecondCluster } from '../support/second-cluster';

/**
 * An append's wake-up can reach a partition while an older transaction that
 * appends nothing is still open: the read stops at the horizon and finds
 * nothing, and the end of that transaction wakes nobody. The service polls
 * once a minute here, so within the deadline only the partition's own
 * second look gets it to the event. A cluster of its own, so that no other
 * test file's transaction holds the horizon.
 */
describe('events held behind an open transaction', () => {
  let cluster: SecondCluster;
  let service: RunningApp;
  let holder: Client;

  beforeAll(async () => {
    cluster = await startSecondCluster();
    service = await startBackstopApp(
      { databaseUrl: cluster.url, runtime: { instanceId: 'only', pollIntervalMs: 60_000 } },
      [CountingModule],
    );
    await service.app.get(DataSource).query(TICK_EFFECTS_DDL);
    holder = new Client({ connectionString: cluster.url });
    await holder.connect();
  }, 120_000);
  afterAll(async () => {
    await holder?.end();
    await service?.close();
    await cluster?.stop();
  });

  it('are processed soon after that transaction ends, without another append or a poll', async () => {
    const sql = service.app.get(DataSource);
    const log = service.app.get(EventLogService);
    await eventually(async () => {
      const [{ n }] = await sql.query(
        `SELECT count(*)::int AS n FROM saga_partitions WHERE saga = 'counting' AND owner = 'only'`,
      );
      expect(n).toBe(4);
    });
    const counted = async () => (await sql.query(`SELECT count(*)::int AS n FROM tick_effects`))[0].n as number;
    for (let round = 0; round < 3; round++) {
      // A transaction with an id of its own holds every snapshot's xmin below the appends after it.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      const ticks = Array.from({ length: 4 }, (_, i) => ({ type: 'Tick', payload: { key: `k-${round}-${i}` } }));
      await sql.transaction((tx) => log.append(tx, { type: 'Ticker', id: `t-${round}` }, 0, ticks));
      // Woken by the append, the partitions read up to the horizon: nothing yet.
      const [{ pending }] = await sql.query(
        `SELECT count(*)::int AS pending FROM event_log WHERE stream_id = $1
            AND transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`,
        [`t-${round}`],
      );
      expect(pending).toBe(4);
      await new Promise((done) => setTimeout(done, 300));
      expect(await counted()).toBe(round * 4);
      await holder.query('COMMIT');
      await eventually(async () => expect(await counted()).toBe((round + 1) * 4), { timeoutMs: 10_000 });
    }
  }, 120_000);
});
