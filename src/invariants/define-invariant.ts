import type { DomainEvent } from '../aggregates/domain-event';
import type { InvariantConfig } from '../config/backstop.options';
import type { SagaEvent, SagaEventOf, SagaOutput } from '../saga-api/saga.types';

export type { InvariantConfig };

/** What "breached" means, written once: breached = actual > limit + slack. Commands check with no slack. */
export interface InvariantRule<F> {
  actual(figures: F): number;
  limit(figures: F): number;
  /** The configured tolerance, or a per-key one read from the figures (a coupon's allowedOverbooking). */
  slack(figures: F, configuredTolerance: number): number;
}

export interface Judgement {
  breached: boolean;
  actual: number;
  allowed: number;
}

export function judge<F>(rule: InvariantRule<F>, figures: F, tolerance: number): Judgement {
  const actual = rule.actual(figures);
  const allowed = rule.limit(figures) + rule.slack(figures, tolerance);
  return { breached: actual > allowed, actual, allowed };
}

/** The last-moment check of a command that adds `added` to the actual figure: strict, no slack. */
export const wouldExceed = <F>(rule: InvariantRule<F>, figures: F, added: number): boolean =>
  rule.actual(figures) + added > rule.limit(figures);

/** A compensating command; the runtime adds `violationId` to its payload. It must only ever lower `actual`. */
export interface Compensation {
  type: string;
  ref: string;
  payload: Record<string, unknown>;
}

/** What decide knows when it builds compensations, details and alert text. */
export interface InvariantContext<F> {
  settings: InvariantConfig;
  figures: F;
  judgement: Judgement;
  /** The event being decided on (its recordedAt dates the alert). */
  event: SagaEvent;
}

/** A compensating command the domain refused (a CompensationRejected event of this invariant). */
export interface RefusedCommand {
  commandType: string;
  orderId?: string;
  [field: string]: unknown;
}

/** The events of an untyped declaration: any type, any payload (what `SagaEvent` is). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEvent = DomainEvent<string, Record<string, any>>;

/**
 * One invariant, declared once. Backstop derives from it the saga (name and
 * events as declared), the violation episodes, alerts and compensations, the
 * settings by name (`<NAME>_STRATEGY`/`_REACTIONS`/`_TOLERANCE`), /invariants,
 * the metrics, the dashboard row and the audit. `E`, the union of the
 * subscribed events (`DomainEvent` variants), types `events` and what `evolve`
 * receives: a misspelt type or a renamed payload field is a compile error.
 */
// `any` defaults: a registry holds declarations of different state types (their functions take S, so unknown would not
// do).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface InvariantDeclaration<S = any, F = any, E extends DomainEvent = AnyEvent> {
  /** Unique and stable: the saga, its stored state and the episodes are kept under it. */
  name: string;
  /** The rule in words, for the alert and /invariants. */
  rule: string;
  /** The payload field holding the key (common to every subscribed event), or a function of the event. */
  key: string | ((event: SagaEvent) => string | undefined);
  /** Subscribed event types (CompensationRejected is added by the runtime). */
  events: readonly E['type'][];
  partitions?: number;
  /** A field of the state holding a large map, stored one row per entry (see SagaOptions.entries). */
  entries?: Extract<keyof S, string>;
  /** 'setting': the configured tolerance applies; 'per-key': the figures carry it (/invariants shows null). */
  tolerance: 'setting' | 'per-key';
  /** Dashboard text of a per-key tolerance, e.g. 'per coupon'. */
  toleranceLabel?: string;

  initialState(key: string): S;
  /**
   * Folds one subscribed event, its payload typed by its type (it may update the state in place, see SagaDefinition).
   */
  evolve(state: S, event: SagaEventOf<E>): S;
  /** Folds an echo of the invariant's own output (episode opened/resolved, compensation issued). */
  onOutput?(state: S, output: SagaOutput, cause: SagaEvent): S;
  /** Folds a refusal of one of its compensations. */
  onRefused?(state: S, refused: RefusedCommand): S;
  /** The id of the open episode kept in the state, or null. */
  openEpisode(state: S): string | null;

  /** The figures the rule reads; null while they are not known (e.g. before CustomerRegistered). */
  figures(state: S): F | null;
  check: InvariantRule<F>;
  /** Compensating commands for a breach, newest first; each must only lower `actual`. */
  compensate?(state: S, ctx: InvariantContext<F>): Compensation[];
  /** The episode's details (stored with the violation), given the compensations decided now. */
  details(state: S, ctx: InvariantContext<F>, compensations: Compensation[]): Record<string, unknown>;
  /** The alert's text, built by the runtime's episode code, never by decide itself. */
  alert: {
    subjectOf(state: S): string;
    figures(state: S, ctx: InvariantContext<F>): [string, string | number][];
    involved(state: S, compensations: Compensation[]): string[];
    action(state: S, ctx: InvariantContext<F>, alert: 'opened' | 'resolved', compensations: Compensation[]): string;
  };
  /** How the audit recomputes the rule from current rows: `sql` returns a `key` column plus the figures. */
  audit: { noun: string; sql: string; figures(row: Record<string, string>): F };
}

export const INVARIANT = Symbol.for('backstop.invariant');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Invariant<S = any, F = any, E extends DomainEvent = AnyEvent> = Readonly<InvariantDeclaration<S, F, E>> & {
  readonly [INVARIANT]: true;
};

/** `defineInvariant<State, Figures, SeatEvent>({...})`; without the event union, events are untyped. */
export function defineInvariant<S, F, E extends DomainEvent = AnyEvent>(
  declaration: InvariantDeclaration<S, F, E>,
): Invariant<S, F, E> {
  return Object.freeze({ ...declaration, [INVARIANT]: true as const });
}

export const isInvariant = (value: unknown): value is Invariant =>
  typeof value === 'object' && value !== null && (value as Partial<Invariant>)[INVARIANT] === true;
