import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { partitionCounts } from '../../src/sagas/partition-count';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import { PartitionLostError, sagaStore } from '../../src/sagas/saga-store';
import { eventually } from '../../src/testing/eventually';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

const START = { transactionId: '0', position: 0 };
const NEXT = { transactionId: '0', position: 1 };

describe('partition leases', () => {
  let db: TestDatabase;
  let sql: DataSource;
  const leases: PartitionLeases[] = [];
  const lost: string[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 4);
    await sagaStore.ensurePartitions(sql.manager, 'jobs', 2);
    await partitionCounts.claim(sql.manager, 'jobs', 2);
    lost.length = 0;
  });
  afterEach(async () => {
    for (const lease of leases.splice(0)) await lease.releaseAll();
    await sql.destroy();
    await db.drop();
  });

  const instance = (name: string, leaseMs = 10_000) => {
    const lease = new PartitionLeases(db.url, name, leaseMs, () => lost.push(name));
    leases.push(lease);
    return lease;
  };
  const advance = (fence: { owner: string; epoch: number }, from = START, to = NEXT) =>
    sql.transaction((tx) => sagaStore.advance(tx, 'jobs', 0, from, to, 0, fence));

  it(
    'gives no partition to an instance whose partition count ' +
      'is not the stored one (it slept through a repartition)',
    async () => {
      const stale = instance('stale');
      expect(await stale.tryAcquire('jobs', 0, 4)).toBe(false);
      expect(await stale.tryAcquire('jobs', 1, 1)).toBe(false);
      expect(await instance('current').tryAcquire('jobs', 0, 2)).toBe(true);
    },
  );

  it(
    'refuses the commit of an instance whose lease expired and was ' +
      'taken, and that instance drops the partition at its next renewal',
    async () => {
      const frozen = instance('frozen');
      const other = instance('other');
      expect(await frozen.tryAcquire('jobs', 0, 2)).toBe(true);
      expect(await other.tryAcquire('jobs', 0, 2)).toBe(false);
      // As if `frozen` had been stopped for longer than its lease (its session stays open).
      await sql.query(
        `UPDATE saga_partitions SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE saga = 'jobs'
        AND partition = 0`,
      );
      expect(await other.tryAcquire('jobs', 0, 2)).toBe(true);

      // It still trusts its lease locally, but the database does not let it write.
      await expect(advance(frozen.fence('jobs', 0))).rejects.toBeInstanceOf(PartitionLostError);
      await advance(other.fence('jobs', 0));
      await frozen.renew('jobs');
      expect(frozen.isHeld('jobs', 0)).toBe(false);
      expect(lost).toEqual(['frozen']);
      const [row] = await sql.query(
        `SELECT owner, checkpoint_position::int AS position FROM saga_partitions WHERE saga = 'jobs' AND partition = 0`,
      );
      expect(row).toEqual({ owner: 'other', position: 1 });
    },
  );

  it(
    'stops trusting a lease whose renewal does not answer, on its ' +
      'own timer, while the database still shows it as the owner',
    async () => {
      const stuck = instance('stuck', 2_000);
      expect(await stuck.tryAcquire('jobs', 1, 2)).toBe(true);
      // A session holding the table makes the renewal wait, the way a cut network would.
      const blocker = new Client({ connectionString: db.url });
      await blocker.connect();
      try {
        await blocker.query(`BEGIN`);
        await blocker.query(`LOCK TABLE saga_partitions IN EXCLUSIVE MODE`);
        await expect(stuck.renew('jobs')).rejects.toThrow(/timeout/i);
        await eventually(() => expect(lost).toEqual(['stuck']), { timeoutMs: 5_000 });
        expect(stuck.isHeld('jobs', 1)).toBe(false);
        expect(stuck.heldPartitions('jobs')).toEqual([]);
        const [row] = await sql.query(`SELECT owner FROM saga_partitions WHERE saga = 'jobs' AND partition = 1`);
        expect(row).toEqual({ owner: 'stuck' });
      } finally {
        await blocker.query(`ROLLBACK`);
        await blocker.end();
      }
    },
  );

  it('renews its other leases while a long transaction of its own holds one partition row, and keeps it', async () => {
    const owner = instance('owner', 10_000);
    expect(await owner.tryAcquire('jobs', 0, 2)).toBe(true);
    expect(await owner.tryAcquire('jobs', 1, 2)).toBe(true);
    const expiry = async (partition: number) =>
      (
        await sql.query(`SELECT lease_expires_at AS at FROM saga_partitions WHERE saga = 'jobs' AND partition = $1`, [
          partition,
        ])
      )[0].at as Date;
    const before = await expiry(1);
    // A batch (or a parked key's retry) holds partition 0's row for longer than a renewal may wait.
    const batch = new Client({ connectionString: db.url });
    await batch.connect();
    try {
      await batch.query(`BEGIN`);
      await batch.query(`SELECT 1 FROM saga_partitions WHERE saga = 'jobs' AND partition = 0 FOR UPDATE`);
      await owner.renew('jobs');
      expect((await expiry(1)).getTime()).toBeGreaterThan(before.getTime());
      expect(owner.heldPartitions('jobs').sort()).toEqual([0, 1]);
      expect(lost).toEqual([]);
    } finally {
      await batch.query(`ROLLBACK`);
      await batch.end();
    }
  });
});
