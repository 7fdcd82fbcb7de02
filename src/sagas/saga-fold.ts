import { PendingOutput } from './output-writer';
import { RegisteredSaga } from './saga-registry';
import { RecordedEvent } from '../event-log/event-log.types';
import { partitionOf } from '../event-log/partition';
import { OUTPUT_ECHO, SagaEvent } from '../saga-api/saga.types';

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

export interface KeyedEvent {
  event: SagaEvent;
  key: string;
}

export interface Folded {
  states: Map<string, unknown>;
  pending: PendingOutput[];
  /** How many of the events were folded (all, unless `stopAtFailure` caught one). */
  folded: number;
  failure?: { item: KeyedEvent; error: unknown };
}

/**
 * Runs events through the saga (evolve, decide, echo each output) on top of
 * `states`, which it updates. By default a throwing saga throws; with
 * `stopAtFailure` the fold stops before the event that threw and says which,
 * so the events before it can still be committed.
 */
export function foldEvents(
  saga: RegisteredSaga,
  states: Map<string, unknown>,
  items: KeyedEvent[],
  stopAtFailure = false,
): Folded {
  const { definition } = saga;
  const pending: PendingOutput[] = [];
  let folded = 0;
  for (const item of items) {
    const { event, key } = item;
    const own: PendingOutput[] = [];
    let state: unknown;
    try {
      state = states.has(key) ? states.get(key) : definition.initialState(key);
      // evolve may change the state in place: fold a copy, so a throw leaves the stored one intact.
      if (stopAtFailure) state = structuredClone(state);
      state = definition.evolve(state, event);
      const outputs = definition.decide(state, event);
      outputs.forEach((output, index) => {
        state = definition.evolve(state, { type: OUTPUT_ECHO, output, cause: event });
        own.push({ saga: saga.name, key, event, output, index });
      });
    } catch (error) {
      if (!stopAtFailure) throw error;
      return { states, pending, folded, failure: { item, error } };
    }
    states.set(key, state);
    pending.push(...own);
    folded++;
  }
  return { states, pending, folded };
}

/** The events of `partition`'s keys. */
export function ownEvents(saga: RegisteredSaga, partition: number, events: RecordedEvent[]): KeyedEvent[] {
  return events
    .map(toSagaEvent)
    .map((event) => ({ event, key: saga.keyOf(event) }))
    .filter(
      (item): item is KeyedEvent => item.key !== undefined && partitionOf(item.key, saga.partitions) === partition,
    );
}

export const keysOf = (items: KeyedEvent[]) => [...new Set(items.map((item) => item.key))];
