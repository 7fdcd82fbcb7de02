import type { DomainEvent } from '../aggregates/domain-event';
import { EventMetadata } from '../event-log/event-log.types';

export { assertNever } from '../aggregates/domain-event';

/** A domain event as a saga sees it. */
export interface SagaEvent<P extends object = Record<string, any>> {
  id: string;
  type: string;
  payload: P;
  metadata: EventMetadata;
  position: number;
  transactionId: string;
  /** When the event was recorded: sagas read time from here, never from a clock. */
  recordedAt: Date;
}

/**
 * A SagaEvent typed by an event union: `SagaEventOf<OrderEvent>` is one variant per event type, so
 * `switch (event.type)` narrows `event.payload`, and reading a field an event does not have (say, after a
 * rename) is a compile error. Distributes over the union.
 */
export type SagaEventOf<E extends DomainEvent> = E extends DomainEvent
  ? Omit<SagaEvent<E['payload']>, 'type'> & { type: E['type'] }
  : never;

/** What a typed saga's `evolve` receives: one of its events, or the echo of an output. */
export type SagaMessageOf<E extends DomainEvent> = SagaEventOf<E> | OutputEcho;

/** A command for the command outbox; `ref` tells several commands of one event apart. */
export interface CommandOutput {
  kind: 'command';
  type: string;
  payload: Record<string, unknown>;
  ref?: string;
}

/** Open, update or resolve the violation episode of (invariant, saga key). */
export interface ViolationOutput {
  kind: 'violation';
  action: 'open' | 'update' | 'resolve';
  invariant: string;
  /** The episode id; `episodeId()` derives it from the opening event. */
  violationId: string;
  details?: Record<string, unknown>;
}

/** An alert mail for the mail outbox, tied to a violation episode. */
export interface MailOutput {
  kind: 'mail';
  violationId: string;
  alert: 'opened' | 'resolved';
  subject: string;
  text: string;
  html?: string;
  /** Defaults to the configured alert recipients. */
  to?: string[];
  headers?: Record<string, string>;
}

export type SagaOutput = CommandOutput | ViolationOutput | MailOutput;

/** Each output is fed back to `evolve`, so the state remembers what was already decided. */
export const OUTPUT_ECHO = 'backstop.SagaOutput';

export interface OutputEcho {
  type: typeof OUTPUT_ECHO;
  output: SagaOutput;
  /** The event whose decision produced the output. */
  cause: SagaEvent;
}

export type SagaMessage = SagaEvent | OutputEcho;

export const isEcho = (message: SagaMessage): message is OutputEcho => message.type === OUTPUT_ECHO;

/**
 * A saga is pure: it never reads the database, the network or the clock.
 * For each event, the runtime computes `state' = evolve(state, event)`, then
 * `outputs = decide(state', event)`, then echoes each output into `evolve`,
 * and commits the final state, the outputs and the checkpoint together.
 * State is plain JSON. `evolve` may update the state it is given in place
 * and return it (each batch works on a private copy fresh from storage), so
 * a large state costs O(1) per event; `decide` must not change it.
 */
export interface SagaDefinition<S = unknown, Ev extends SagaEvent = SagaEvent> {
  initialState(key: string): S;
  /** With `Ev = SagaEventOf<E>` the message is one of E's events (payload narrowed by type) or an echo. */
  evolve(state: S, message: Ev | OutputEcho): S;
  decide(state: S, event: Ev): SagaOutput[];
}

export interface SagaOptions<T extends string = string> {
  /** Unique, stable name: checkpoints and state are stored under it. */
  name: string;
  /** Event types the saga subscribes to; `@Saga<OrderEvent['type']>(...)` makes a misspelt one a compile error. */
  events: readonly T[];
  /** Payload field holding the key (e.g. `customerId`), or a function; events without a key are skipped. */
  key: string | ((event: SagaEvent) => string | undefined);
  /** Partitions the key space is split into (default 4); each is processed by one instance at a time. */
  partitions?: number;
  /**
   * A field of the state holding a map that grows large (an object of many entries, e.g. a customer's open
   * orders by id): the runtime stores it one row per entry, so a batch writes the entries it changed rather than
   * the whole state. The saga still sees one plain object. States stored before the field was named are read as
   * they are and split when next written.
   */
  entries?: string;
}
