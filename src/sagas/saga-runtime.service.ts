import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { MailOutboxWorker } from '../mail/mail-outbox.worker';
import { RetentionWorker } from '../retention/retention.worker';
import { CommandDispatcher } from './command-dispatcher.service';
import { EventNotifications } from './event-notifications';
import { partitionCounts } from './partition-count';
import { DEFAULT_SAGA_LEASE_MS, PartitionLeases } from './partition-leases';
import { BatchOutcomes } from './batch-outcomes';
import { PartitionProcessor } from './partition-processor';
import { partitionLoop, PartitionLoopContext } from './partition-loop';
import { SagaRegistry } from './saga-registry';
import { sagaStore } from './saga-store';
import { WakeSignal } from '../outbox/wake-signal';
import { SagaWakes } from './saga-wakes';
import { AppendSignal } from '../event-log/append-signal';

const CLAIM_INTERVAL_MS = 1_000;

/**
 * Drives every saga partition this instance owns: claims free partitions,
 * processes batches while there is work, sleeps until an append is
 * notified (or the polling fallback fires), retries transient errors with
 * backoff, and parks the key of an event that keeps failing.
 */
@Injectable()
export class SagaRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SagaRuntime');
  readonly instanceId: string;
  private readonly settings: Required<
    Omit<
      NonNullable<BackstopOptions['runtime']>,
      'instanceId' | 'enabled' | 'outboxLeaseMs' | 'readHorizonWarnSeconds' | 'partitions'
    >
  >;
  private readonly wakes = new SagaWakes(() => this.registry.all());
  /**
   * Woken only by shutdown and lost leases, never by appends: the claim
   * loop's timer (a round costs queries) and the back-off after failures
   * (which must really wait).
   */
  private readonly quiet = new WakeSignal();
  private readonly loops = new Map<string, Promise<void>>();
  private readonly draining = new Set<string>();
  private notifications?: EventNotifications;
  private unsubscribe?: () => void;
  private leases?: PartitionLeases;
  private claiming?: Promise<void>;
  private running = false;
  private staleCounts = false;

  constructor(
    @Inject(BACKSTOP_OPTIONS) private readonly options: BackstopOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SagaRegistry,
    private readonly processor: PartitionProcessor,
    private readonly dispatcher: CommandDispatcher,
    private readonly mailer: MailOutboxWorker,
    private readonly outcomes: BatchOutcomes,
    private readonly retention: RetentionWorker,
    private readonly appends: AppendSignal,
  ) {
    const runtime = options.runtime ?? {};
    this.instanceId = runtime.instanceId ?? `${hostname()}:${process.pid}`;
    this.settings = {
      batchSize: runtime.batchSize ?? 500,
      pollIntervalMs: Math.min(runtime.pollIntervalMs ?? 500, 60_000),
      maxFailures: runtime.maxFailures ?? 5,
      retryDelayMs: runtime.retryDelayMs ?? 100,
      leaseMs: runtime.leaseMs ?? DEFAULT_SAGA_LEASE_MS,
    };
  }

  /** `disabled`: this instance serves the API only, by configuration. */
  get state(): 'running' | 'not running' | 'disabled' {
    if (this.options.runtime?.enabled === false) return 'disabled';
    return this.running ? 'running' : 'not running';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.runtime?.enabled === false) return;
    await this.start();
  }

  async start(): Promise<void> {
    // Before any partition row is made: a count that differs from the stored one must not touch them.
    for (const saga of this.registry.all())
      await partitionCounts.claim(this.dataSource.manager, saga.name, saga.partitions);
    for (const saga of this.registry.all())
      await sagaStore.ensurePartitions(this.dataSource.manager, saga.name, saga.partitions);
    // This process's appends wake its partitions in-process once committed; other instances' arrive by NOTIFY.
    this.unsubscribe = this.appends.subscribe((types) => this.wakes.wake(types));
    this.notifications = new EventNotifications(
      this.options.databaseUrl,
      (types) => this.wakes.wake(types),
      this.appends.origin,
    );
    this.leases = new PartitionLeases(this.options.databaseUrl, this.instanceId, this.settings.leaseMs, () =>
      this.quiet.wake(),
    );
    await this.notifications.start();
    this.running = true;
    this.claiming = this.claimLoop();
    this.dispatcher.start();
    this.mailer.start();
    this.retention.start();
    const names = this.registry.all().map((saga) => `${saga.name} (${saga.partitions} partitions)`);
    this.logger.log(`instance ${this.instanceId} running sagas: ${names.join(', ') || 'none'}`);
  }

  /** Wakes idle partitions now, e.g. after an in-process append. */
  nudge(): void {
    this.wakes.wake();
  }

  /**
   * Every second (or a fifth of the lease, if shorter): count the live
   * instances, then for each saga renew this instance's leases and hold a fair
   * share of its partitions (ceil(partitions / instances)): take free ones up
   * to the share, hand back any above it once their loop has stopped. A dead
   * instance stops counting after 5 s; its leases are free at once when its
   * lease session is gone (a crash), at their expiry when it is not (frozen).
   */
  private async claimLoop(): Promise<void> {
    const interval = Math.min(CLAIM_INTERVAL_MS, this.leases!.marginMs);
    while (this.running) {
      if (await this.partitionCountsChanged()) {
        await this.quiet.wait(interval);
        continue;
      }
      const live = await sagaStore.liveInstances(this.dataSource.manager, this.instanceId).catch(() => 1);
      for (const saga of this.registry.all()) {
        if (!this.running) break;
        await this.leases!.renew(saga.name).catch((error: Error) =>
          this.logger.warn(`cannot renew leases of ${saga.name}: ${error.message}`),
        );
        const share = Math.ceil(saga.partitions / live);
        const held = () => this.leases!.heldPartitions(saga.name).length;
        for (let partition = 0; partition < saga.partitions && this.running && held() < share; partition++) {
          const id = `${saga.name}/${partition}`;
          if (this.loops.has(id)) continue;
          const acquired = await this.leases!.tryAcquire(saga.name, partition, saga.partitions).catch(() => false);
          if (!acquired) continue;
          this.logger.log(`${this.instanceId} took partition ${id}`);
          this.loops.set(
            id,
            partitionLoop(this.loopContext(id, saga.name), saga, partition).finally(() => this.loops.delete(id)),
          );
        }
        const mine = this.leases!.heldPartitions(saga.name).sort((a, b) => b - a);
        for (const partition of mine.slice(0, Math.max(0, mine.length - share))) this.handBack(saga.name, partition);
      }
      await this.quiet.wait(interval);
    }
  }

  /**
   * A repartition while this instance was frozen: its counts are not the
   * stored ones, so it may take no partition (PartitionLeases refuses them).
   * It must not count as a live instance either, or the others would keep
   * their share small and leave partitions without an owner. It leaves,
   * gives its leases back and says so, until it is restarted with the
   * stored counts.
   */
  private async partitionCountsChanged(): Promise<boolean> {
    const stale = await partitionCounts.changed(this.dataSource.manager, this.registry.all()).catch(() => []);
    if (stale.length === 0) return false;
    if (!this.staleCounts) {
      this.logger.error(
        `the stored partition counts changed while this instance ran: ${stale.join(', ')}. ` +
          `It processes nothing until it is restarted with the stored counts (SAGA_PARTITIONS or runtime.partitions).`,
      );
    }
    this.staleCounts = true;
    await sagaStore.leave(this.dataSource.manager, this.instanceId).catch(() => undefined);
    for (const saga of this.registry.all()) {
      for (const partition of this.leases!.heldPartitions(saga.name)) this.handBack(saga.name, partition);
    }
    return true;
  }

  private loopContext(id: string, saga: string): PartitionLoopContext {
    return {
      settings: this.settings,
      processor: this.processor,
      outcomes: this.outcomes,
      leases: this.leases!,
      wake: this.wakes.of(saga),
      quiet: this.quiet,
      logger: this.logger,
      active: () => this.running && !this.draining.has(id),
      progressed: (result) => {
        if (result.commands > 0) this.dispatcher.wake();
        if (result.mails > 0) this.mailer.wake();
      },
    };
  }

  /** Lets the partition's loop finish its batch, then releases the partition. */
  private handBack(saga: string, partition: number): void {
    const id = `${saga}/${partition}`;
    if (this.draining.has(id)) return;
    this.draining.add(id);
    this.logger.log(`${this.instanceId} hands partition ${id} back, for a fair share`);
    void (this.loops.get(id) ?? Promise.resolve()).then(async () => {
      await this.leases?.release(saga, partition);
      this.draining.delete(id);
    });
  }

  /**
   * Before any module's shutdown hook: TypeORM closes its pool in its own,
   * and leaving must still reach the database, or the instance would look
   * alive (to the fair share and to a repartition) after a clean stop.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakes.wake();
    this.quiet.wake();
    await this.claiming;
    await Promise.all(this.loops.values());
    await this.dispatcher.stop();
    await this.mailer.stop();
    await this.retention.stop();
    await sagaStore.leave(this.dataSource.manager, this.instanceId).catch(() => undefined);
    await this.leases?.releaseAll();
    this.unsubscribe?.();
    await this.notifications?.stop();
  }
}
