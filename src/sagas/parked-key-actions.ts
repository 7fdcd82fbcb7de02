import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventLogService } from '../event-log/event-log.service';
import { RecordedEvent } from '../event-log/event-log.types';
import { DomainError, invalidState } from '../shared/domain-error';
import { isTransientDatabaseError } from '../shared/transient-error';
import { OutputWriter } from './output-writer';
import { describe, toSagaEvent } from './partition-processor';
import { ParkedKey, parkedKeys } from './parked-keys';
import { foldEvents } from './saga-fold';
import { RegisteredSaga, SagaRegistry } from './saga-registry';
import { SagaRuntime } from './saga-runtime.service';
import { sagaStore } from './saga-store';
import { stateWrites } from './state-changes';
import { stateStore } from './state-store';

export const SAGA_EVENT_SKIPPED = 'SagaEventSkipped';

export interface ReplayOutcome {
  saga: string;
  key: string;
  /** Parked events processed by this call, in log order. */
  processed: number;
  /** Still parked: an event failed again (it is the head now) and `error` says why. */
  parked: boolean;
  error?: string;
  skipped?: { eventId: string; position: number };
}

/**
 * The admin calls on a parked key. Both re-read the key's events that the
 * partition passed while it was parked (from the head up to the partition's
 * checkpoint), fold them in order and commit state, outputs and the
 * unparking together; the partition, whose row is locked meanwhile, takes
 * the key's later events from its checkpoint on. Skip first records, as an
 * event in the log, that the head is given up and by whom.
 */
@Injectable()
export class ParkedKeyActions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SagaRegistry,
    private readonly eventLog: EventLogService,
    private readonly outputs: OutputWriter,
    private readonly runtime: SagaRuntime,
  ) {}

  retry(saga: string, key: string): Promise<ReplayOutcome> {
    return this.replay(saga, key);
  }

  skip(saga: string, key: string, by: string, reason: string): Promise<ReplayOutcome> {
    return this.replay(saga, key, { by, reason });
  }

  private async replay(name: string, key: string, skip?: { by: string; reason: string }): Promise<ReplayOutcome> {
    const saga = this.registry.get(name);
    if (!saga) throw new DomainError('NOT_FOUND', `no saga named ${name}`);
    try {
      const outcome = await this.dataSource.transaction(async (tx) => {
        const parked = await parkedKeys.lock(tx, saga.name, key);
        if (!parked) throw new DomainError('NOT_FOUND', `key ${key} of saga ${saga.name} is not parked`);
        return this.replayLocked(tx, saga, parked, skip);
      });
      if (!outcome.parked) this.runtime.nudge();
      return outcome;
    } catch (error) {
      if (error instanceof DomainError || isTransientDatabaseError(error)) throw error;
      // The outputs could not be written: nothing was, and the key stays parked on its head.
      await parkedKeys.recordFailure(this.dataSource.manager, saga.name, key, describe(error));
      return { saga: saga.name, key, processed: 0, parked: true, error: describe(error) };
    }
  }

  private async replayLocked(
    tx: EntityManager,
    saga: RegisteredSaga,
    parked: ParkedKey,
    skip?: { by: string; reason: string },
  ): Promise<ReplayOutcome> {
    const { key, head } = parked;
    const { checkpoint } = await sagaStore.lockPartition(tx, saga.name, parked.partition);
    const events = (
      await this.eventLog.readKeyRange(
        tx,
        { after: { transactionId: head.transactionId, position: head.position - 1 }, upTo: checkpoint },
        { types: saga.events, keyField: saga.keyField, key },
      )
    ).filter((event) => saga.keyOf(toSagaEvent(event)) === key);
    let skipped: ReplayOutcome['skipped'];
    if (skip) {
      // Until the partition has passed the head, it would process the head itself once the key is unparked.
      if (events[0]?.position !== head.position)
        throw invalidState(`the partition has not reached ${key}'s parked event yet: try again in a moment`);
      const event = events.shift()!;
      await this.recordSkip(tx, saga, parked, event, skip);
      skipped = { eventId: event.metadata.eventId, position: event.position };
    }
    const { states, stored } = await stateStore.load(tx, saga.name, [key]);
    const folded = foldEvents(
      saga,
      states,
      events.map((event) => ({ event: toSagaEvent(event), key })),
      true,
    );
    if (folded.folded > 0) await stateStore.save(tx, saga.name, stateWrites(stored, states, saga.entries));
    await this.outputs.write(tx, folded.pending);
    const base = { saga: saga.name, key, processed: folded.folded, ...(skipped ? { skipped } : {}) };
    if (folded.failure) {
      const failed = events[folded.folded];
      const error = describe(folded.failure.error);
      await parkedKeys.moveHead(tx, saga.name, key, failed, error);
      return { ...base, parked: true, error };
    }
    await parkedKeys.unpark(tx, saga.name, key);
    return { ...base, parked: false };
  }

  private async recordSkip(
    tx: EntityManager,
    saga: RegisteredSaga,
    parked: ParkedKey,
    event: RecordedEvent,
    skip: { by: string; reason: string },
  ) {
    const stream = { type: 'Saga', id: `saga:${saga.name}:${parked.key}` };
    const version = (await this.eventLog.readStream(stream.id, tx)).length;
    await this.eventLog.append(tx, stream, version, [
      {
        type: SAGA_EVENT_SKIPPED,
        payload: {
          saga: saga.name,
          key: parked.key,
          eventId: event.metadata.eventId,
          eventType: event.type,
          position: event.position,
          transactionId: event.transactionId,
          error: parked.error,
          by: skip.by,
          reason: skip.reason,
        },
        tags: [`saga:${saga.name}`],
      },
    ]);
  }
}
