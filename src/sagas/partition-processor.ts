import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventLogService } from '../event-log/event-log.service';
import { Checkpoint, checkpointOf, RecordedEvent } from '../event-log/event-log.types';
import { partitionOf } from './episode-id';
import { OutputWriter, PendingOutput, WrittenOutputs } from './output-writer';
import { RegisteredSaga } from './saga-registry';
import { LeaseFence, PartitionLostError, sagaStore } from './saga-store';
import { OUTPUT_ECHO, SagaEvent } from './saga.types';

export type BatchResult =
  | { kind: 'idle' }
  | ({ kind: 'progress'; events: number } & WrittenOutputs)
  | { kind: 'failed'; position: number; error: string }
  | { kind: 'stopped' }
  | { kind: 'lost' };

export function toSagaEvent(event: RecordedEvent): SagaEvent {
  return {
    id: event.metadata.eventId,
    type: event.type,
    payload: event.payload,
    metadata: event.metadata,
    position: event.position,
    transactionId: event.transactionId,
    recordedAt: event.recordedAt,
  };
}

/**
 * Runs one batch of one saga partition: read the subscribed events after the
 * checkpoint, fold them through the saga, then write the new states, the
 * outputs and the advanced checkpoint in a single transaction.
 */
@Injectable()
export class PartitionProcessor {
  /**
   * The checkpoint of each partition this instance is working on, so an idle
   * partition costs one read per wake-up, not two. Trusting it is safe: the
   * checkpoint update is a compare-and-set, so a stale value only fails a
   * commit (the batch is rolled back and the row read again).
   */
  private readonly checkpoints = new Map<string, Checkpoint>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eventLog: EventLogService,
    private readonly outputs: OutputWriter,
  ) {}

  /**
   * `fence`: the lease the batch is committed under; a lost lease answers `lost`.
   * `until`: read nothing past this checkpoint (a repartition's horizon).
   */
  async run(saga: RegisteredSaga, partition: number, batchSize: number, fence: LeaseFence, until?: Checkpoint): Promise<BatchResult> {
    const id = `${saga.name}/${partition}`;
    const result = await this.runFrom(saga, partition, batchSize, id, fence, until);
    if (result.kind === 'lost' || result.kind === 'failed') this.checkpoints.delete(id);
    return result;
  }

  private async runFrom(
    saga: RegisteredSaga,
    partition: number,
    batchSize: number,
    id: string,
    fence: LeaseFence,
    until?: Checkpoint,
  ): Promise<BatchResult> {
    let known = this.checkpoints.get(id);
    if (!known) {
      const row = await sagaStore.partition(this.dataSource.manager, saga.name, partition);
      if (row.status === 'stopped') return { kind: 'stopped' };
      known = row.checkpoint;
      this.checkpoints.set(id, known);
    }
    const current = { checkpoint: known };
    const { events, checkpoint } = saga.keyField
      ? await this.eventLog.readPartition(current.checkpoint, batchSize, { types: saga.events, keyField: saga.keyField, partitions: saga.partitions, partition }, until)
      : await this.eventLog.readAll(current.checkpoint, batchSize, { types: saga.events }, until);
    if (events.length === 0) {
      if (checkpoint === current.checkpoint) return { kind: 'idle' };
      // Only other partitions' events: move past them.
      try {
        return await this.commit(saga, partition, current.checkpoint, checkpoint, [], fence);
      } catch (error) {
        if (error instanceof PartitionLostError) return { kind: 'lost' };
        throw error;
      }
    }
    try {
      return await this.commit(saga, partition, current.checkpoint, checkpoint, events, fence);
    } catch (error) {
      if (error instanceof PartitionLostError) return { kind: 'lost' };
      if (events.length === 1) return { kind: 'failed', position: events[0].position, error: describe(error) };
    }
    // Something in the batch failed: go one event at a time so that the events
    // before the culprit are committed and the culprit is known.
    let from = current.checkpoint;
    let done = 0;
    const written: WrittenOutputs = { commands: 0, mails: 0, opened: [], resolved: [] };
    for (const event of events) {
      try {
        const one = await this.commit(saga, partition, from, checkpointOf(event), [event], fence);
        written.commands += one.commands;
        written.mails += one.mails;
        written.opened.push(...one.opened);
        written.resolved.push(...one.resolved);
        done += one.events;
      } catch (error) {
        if (error instanceof PartitionLostError) return { kind: 'lost' };
        return { kind: 'failed', position: event.position, error: describe(error) };
      }
      from = checkpointOf(event);
    }
    return { kind: 'progress', events: done, ...written };
  }

  private async commit(saga: RegisteredSaga, partition: number, from: Checkpoint, to: Checkpoint, events: RecordedEvent[], fence: LeaseFence) {
    const result = await this.dataSource.transaction(async (tx) => {
      const mine = events
        .map(toSagaEvent)
        .map((event) => ({ event, key: saga.keyOf(event) }))
        .filter((item): item is { event: SagaEvent; key: string } => item.key !== undefined && partitionOf(item.key, saga.partitions) === partition);
      const { states, pending } = await this.fold(tx, saga, mine);
      await sagaStore.saveStates(tx, saga.name, states);
      const written = await this.outputs.write(tx, pending);
      await sagaStore.advance(tx, saga.name, partition, from, to, mine.length, fence);
      return { kind: 'progress' as const, events: mine.length, ...written };
    });
    this.checkpoints.set(`${saga.name}/${partition}`, to);
    return result;
  }

  private async fold(tx: EntityManager, saga: RegisteredSaga, items: { event: SagaEvent; key: string }[]) {
    const { definition } = saga;
    const pending: PendingOutput[] = [];
    // A batch of other partitions' events only moves the checkpoint: nothing to load.
    if (items.length === 0) return { states: new Map<string, unknown>(), pending };
    const states = await sagaStore.loadStates(tx, saga.name, [...new Set(items.map((item) => item.key))]);
    for (const { event, key } of items) {
      let state = states.has(key) ? states.get(key) : definition.initialState(key);
      state = definition.evolve(state, event);
      const outputs = definition.decide(state, event);
      outputs.forEach((output, index) => {
        state = definition.evolve(state, { type: OUTPUT_ECHO, output, cause: event });
        pending.push({ saga: saga.name, key, event, output, index });
      });
      states.set(key, state);
    }
    return { states, pending };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
