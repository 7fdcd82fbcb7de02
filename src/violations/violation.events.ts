import { DomainEvent, factoriesOf } from '../aggregates/domain-event';

type Episode = { violationId: string; invariant: string; key: string; details: Record<string, unknown> };

/** The events of a violation episode; the `type` strings are stored and must never change. */
export type ViolationEvent =
  | DomainEvent<
      'InvariantViolated',
      Episode & {
        /** The event whose processing detected the breach. */
        detectedBy: string;
      }
    >
  | DomainEvent<'ViolationResolved', Episode & { resolvedBy: string }>;

export type ViolationEventType = ViolationEvent['type'];

const violationEvent = factoriesOf<ViolationEvent>();
export const invariantViolated = violationEvent('InvariantViolated');
export const violationResolved = violationEvent('ViolationResolved');
