import { Logger } from '@nestjs/common';
import { isTransientDatabaseError } from '../shared/transient-error';
import { WakeSignal } from '../outbox/wake-signal';
import { BatchOutcomes } from './batch-outcomes';
import { PartitionLeases } from './partition-leases';
import { BatchResult, PartitionProcessor } from './partition-processor';
import { RegisteredSaga } from './saga-registry';

/** A second between rounds of a partition that is stopped or lost its lease, appends or not. */
const STOPPED_WAIT_MS = 1_000;
/** First look again at events held behind an older open transaction; doubles up to the poll interval. */
const HELD_FIRST_WAIT_MS = 10;

export interface PartitionLoopContext {
  readonly settings: { batchSize: number; pollIntervalMs: number; maxFailures: number; retryDelayMs: number };
  readonly processor: PartitionProcessor;
  readonly outcomes: BatchOutcomes;
  readonly leases: PartitionLeases;
  /** Woken by appends (this process's commits and other instances' NOTIFY). */
  readonly wake: WakeSignal;
  /** Woken only by shutdown and lost leases: back-offs must really wait. */
  readonly quiet: WakeSignal;
  readonly logger: Logger;
  /** False once the runtime stops or the partition is being handed back. */
  readonly active: () => boolean;
  /** After a batch that wrote commands or mails: wake their outboxes. */
  readonly progressed: (result: Extract<BatchResult, { kind: 'progress' }>) => void;
}

/**
 * One owned partition's loop: batches while there is work, retries transient
 * errors with backoff, parks the key of an event that keeps failing, and
 * sleeps until the next append (or the polling fallback) when idle.
 */
export async function partitionLoop(ctx: PartitionLoopContext, saga: RegisteredSaga, partition: number): Promise<void> {
  const { settings, leases } = ctx;
  let failures = 0;
  let heldWait = HELD_FIRST_WAIT_MS;
  let polled = false;
  while (ctx.active() && leases.isHeld(saga.name, partition)) {
    let result: BatchResult;
    const wakes = ctx.wake.wakes;
    try {
      // After a poll that no wake-up ended, a kept read proves nothing: events no instance announced may be new.
      const woken = polled ? undefined : { seen: wakes, now: () => ctx.wake.wakes };
      polled = false;
      result = await ctx.processor.run(
        saga,
        partition,
        settings.batchSize,
        leases.fence(saga.name, partition),
        undefined,
        woken,
      );
    } catch (error) {
      if (!isTransientDatabaseError(error)) ctx.logger.error(`${saga.name}/${partition}: ${String(error)}`);
      await ctx.quiet.wait(Math.min(5_000, settings.retryDelayMs * 2 ** Math.min(failures++, 6)));
      continue;
    }
    if (result.kind === 'progress') {
      failures = 0;
      heldWait = HELD_FIRST_WAIT_MS;
      ctx.outcomes.progressed(saga.name, result);
      ctx.progressed(result);
      continue;
    }
    if (result.kind === 'failed') {
      failures++;
      const parked = await ctx.outcomes
        .failed(saga, partition, result, leases.fence(saga.name, partition), settings.maxFailures)
        .catch(() => false);
      // A parked key no longer holds the partition back: go on at once.
      if (!parked) await ctx.quiet.wait(Math.min(10_000, settings.retryDelayMs * 2 ** Math.min(failures - 1, 7)));
      continue;
    }
    failures = 0;
    if (result.kind !== 'idle') {
      await ctx.quiet.wait(STOPPED_WAIT_MS);
      continue;
    }
    // Idle: until the next append (or the polling fallback), at once if one was committed during the read.
    // Events held behind an open transaction that appends nothing: its end wakes nobody, so look again soon,
    // backing off while it stays open (an idle-in-transaction session can hold the horizon for minutes).
    const wait = result.held ? Math.min(heldWait, settings.pollIntervalMs) : settings.pollIntervalMs;
    heldWait = result.held ? Math.min(heldWait * 2, settings.pollIntervalMs) : HELD_FIRST_WAIT_MS;
    await ctx.wake.wait(wait, wakes);
    polled = ctx.wake.wakes === wakes;
  }
}
