import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { LeaseConnection } from './lease-connection';
import type { LeaseFence } from './saga-store';

export const DEFAULT_SAGA_LEASE_MS = 10_000;

interface Held {
  epoch: number;
  /** Until when this instance trusts the lease, on the monotonic and on the wall clock. */
  monotonicUntil: number;
  wallUntil: number;
}

/**
 * Ownership of saga partitions across instances: a lease per partition in
 * saga_partitions (owner, lease_expires_at, lease_epoch), renewed by its owner
 * every claim round and taken by another instance once it has expired.
 *
 * Why leases rather than session advisory locks (what this was before): a lock
 * lasts as long as its session, and a frozen instance (SIGSTOP, a paused VM, a
 * network partition) keeps its socket, so its session and locks, until TCP
 * keepalive gives up (about two hours by default). Keepalive settings and
 * ending stale backends would need server settings or rights we cannot count
 * on, and would still leave the woken instance believing it owns its
 * partitions. A lease expires on the database's clock whatever its holder
 * does, and its epoch is a fencing token: sagaStore.advance commits a batch
 * only under an unexpired lease of the same owner and epoch, so a woken
 * instance's commit fails instead of writing.
 *
 * The reverse case, renewals that silently stop getting through (a query that
 * never answers): a lease is trusted locally only until the start of its last
 * successful renewal plus the lease minus a margin, on both the monotonic and
 * the wall clock (a paused VM may hold one of them still), which is before the
 * database lets anyone else take it.
 *
 * A crashed instance needs no waiting: owner_pid is its lease connection's
 * backend, and a lease whose backend is gone is free at once.
 */
export class PartitionLeases {
  private readonly logger = new Logger('PartitionLeases');
  private readonly connection: LeaseConnection;
  private readonly held = new Map<string, Held>();
  /** Last epoch held per partition, so that a late batch is fenced, never unfenced. */
  private readonly epochs = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    connectionString: string,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly onLost: () => void,
  ) {
    this.connection = new LeaseConnection(connectionString, this.marginMs);
  }

  /** Margin kept between the local trust and the database's expiry; also the lease queries' timeout. */
  get marginMs(): number {
    return Math.ceil(this.leaseMs / 5);
  }

  isHeld(saga: string, partition: number): boolean {
    const lease = this.held.get(`${saga}/${partition}`);
    return lease !== undefined && performance.now() < lease.monotonicUntil && Date.now() < lease.wallUntil;
  }

  heldPartitions(saga: string): number[] {
    return [...this.held.keys()]
      .filter((id) => id.startsWith(`${saga}/`))
      .map((id) => Number(id.split('/').pop()))
      .filter((partition) => this.isHeld(saga, partition));
  }

  fence(saga: string, partition: number): LeaseFence {
    return { owner: this.owner, epoch: this.epochs.get(`${saga}/${partition}`) ?? -1 };
  }

  /**
   * Takes the partition if its lease is free, expired, or its owner's lease
   * session is gone; SKIP LOCKED so that a row held by a batch in flight never
   * blocks the claim round. Our own unexpired lease (trusted no longer) is taken
   * again too, with a new epoch that fences any batch still under the old one.
   */
  async tryAcquire(saga: string, partition: number, partitions: number): Promise<boolean> {
    const startedAt = this.clocks();
    // Only under the stored partition count: an instance that slept through a
    // repartition must not take a partition of the new layout with the old count.
    const { rows } = await this.connection.query<{ epoch: string }>(
      `WITH free AS (
         SELECT saga, partition FROM saga_partitions
          WHERE saga = $1 AND partition = $2
            AND EXISTS (SELECT 1 FROM saga_partition_counts c WHERE c.saga = $1 AND c.partitions = $5)
            AND (lease_expires_at IS NULL OR lease_expires_at <= clock_timestamp()
                 OR owner = $3 AND owner_pid = pg_backend_pid()
                 OR NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = owner_pid))
          FOR UPDATE SKIP LOCKED)
       UPDATE saga_partitions p
          SET owner = $3, owner_pid = pg_backend_pid(), lease_epoch = p.lease_epoch + 1, heartbeat_at = now(),
              lease_expires_at = clock_timestamp() + $4 * interval '1 millisecond'
         FROM free WHERE p.saga = free.saga AND p.partition = free.partition
       RETURNING p.lease_epoch::text AS epoch`,
      [saga, partition, this.owner, this.leaseMs, partitions],
    );
    if (rows.length === 0) return false;
    this.trust(`${saga}/${partition}`, Number(rows[0].epoch), startedAt);
    return true;
  }

  /** Extends every lease of the saga this instance holds; a lease another instance took is dropped. */
  async renew(saga: string): Promise<void> {
    const mine = this.heldPartitions(saga);
    if (mine.length === 0) return;
    const startedAt = this.clocks();
    const epochs = mine.map((partition) => this.held.get(`${saga}/${partition}`)!.epoch);
    // SKIP LOCKED: a partition row held by a batch or a parked-key retry of ours is renewed next
    // round, and the other leases meanwhile; waiting for it would let all of them expire.
    const { rows } = await this.connection.query<{ partition: number; renewed: boolean }>(
      `WITH mine AS (
         SELECT partition FROM saga_partitions
          WHERE saga = $1 AND owner = $2 AND (partition, lease_epoch) IN (SELECT *
            FROM unnest($4::int[], $5::bigint[]))),
       renewed AS (
         UPDATE saga_partitions p
            SET lease_expires_at = clock_timestamp() + $3 * interval '1 millisecond', owner_pid = pg_backend_pid(),
                heartbeat_at = now()
           FROM (SELECT partition FROM saga_partitions
                  WHERE saga = $1 AND owner = $2 AND (partition, lease_epoch) IN (SELECT *
                    FROM unnest($4::int[], $5::bigint[]))
                  FOR UPDATE SKIP LOCKED) free
          WHERE p.saga = $1 AND p.partition = free.partition
         RETURNING p.partition)
       SELECT mine.partition, renewed.partition IS NOT NULL AS renewed FROM mine LEFT JOIN renewed USING (partition)`,
      [saga, this.owner, this.leaseMs, mine, epochs],
    );
    // Still ours but locked: trusted until its current expiry runs out, not dropped.
    const stillOurs = new Set(rows.map((row) => row.partition));
    const renewed = new Set(rows.filter((row) => row.renewed).map((row) => row.partition));
    mine.forEach((partition, index) => {
      const id = `${saga}/${partition}`;
      if (renewed.has(partition)) this.trust(id, epochs[index], startedAt);
      else if (!stillOurs.has(partition) && this.held.get(id)?.epoch === epochs[index])
        this.drop(id, 'another instance took its lease');
    });
  }

  /** Gives a partition back, for another instance to take at once. */
  async release(saga: string, partition: number): Promise<void> {
    const id = `${saga}/${partition}`;
    const lease = this.held.get(id);
    if (!lease || !this.held.delete(id)) return;
    await this.free([{ saga, partition, epoch: lease.epoch }]).catch((error: Error) =>
      this.logger.warn(`cannot release ${id}: ${error.message}`),
    );
  }

  async releaseAll(): Promise<void> {
    const leases = [...this.held].map(([id, { epoch }]) => ({
      saga: id.slice(0, id.lastIndexOf('/')),
      partition: Number(id.split('/').pop()),
      epoch,
    }));
    this.held.clear();
    clearTimeout(this.timer);
    if (leases.length) await this.free(leases).catch(() => undefined);
    this.connection.close();
  }

  private async free(leases: { saga: string; partition: number; epoch: number }[]): Promise<void> {
    await this.connection.query(
      `UPDATE saga_partitions SET owner = NULL, owner_pid = NULL, lease_expires_at = NULL
        WHERE owner = $1 AND (saga, partition, lease_epoch) IN (SELECT *
          FROM unnest($2::text[], $3::int[], $4::bigint[]))`,
      [this.owner, leases.map((l) => l.saga), leases.map((l) => l.partition), leases.map((l) => l.epoch)],
    );
  }

  private clocks() {
    return { monotonic: performance.now(), wall: Date.now() };
  }

  /** The database set the expiry after `startedAt`, so trusting until startedAt + lease - margin is safe. */
  private trust(id: string, epoch: number, startedAt: { monotonic: number; wall: number }): void {
    const span = this.leaseMs - this.marginMs;
    this.held.set(id, { epoch, monotonicUntil: startedAt.monotonic + span, wallUntil: startedAt.wall + span });
    this.epochs.set(id, epoch);
    this.schedule();
  }

  private drop(id: string, reason: string): void {
    if (!this.held.delete(id)) return;
    this.logger.warn(`${this.owner} stops working partition ${id}: ${reason}`);
    this.onLost();
  }

  /** A timer of its own, so that expiry is noticed even while every query hangs. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.held.size === 0) return;
    const next = Math.min(...[...this.held.values()].map((lease) => lease.monotonicUntil));
    this.timer = setTimeout(() => this.expire(), Math.max(0, next - performance.now()) + 1);
    this.timer.unref();
  }

  private expire(): void {
    for (const id of [...this.held.keys()]) {
      const [saga, partition] = [id.slice(0, id.lastIndexOf('/')), Number(id.split('/').pop())];
      if (!this.isHeld(saga, partition)) this.drop(id, `its lease was not renewed in time (lease ${this.leaseMs} ms)`);
    }
    this.schedule();
  }
}
