import type { DomainEvent } from '../aggregates/domain-event';
import type { InvariantConfig } from '../config/backstop.options';
import type { CommandOutput, MailOutput, SagaEvent, SagaOutput, ViolationOutput } from '../saga-api/saga.types';
import type { Invariant } from '../invariants/define-invariant';
import { invariantSaga } from '../invariants/invariant-saga';
import { DEFAULT_INVARIANT_CONFIG } from '../invariants/invariant-settings';
import { givenSaga } from './saga-spec';

/** The key, and settings over the defaults (react, alert + compensate, tolerance 0). */
export interface InvariantSpecOptions {
  key: string;
  settings?: Partial<InvariantConfig>;
}

/** What one event should do to the episode. Left out: no violation change, no compensation, no alert. */
export interface InvariantOutcome {
  violation?: ViolationOutput['action'];
  /** Matched (toMatchObject) against the episode's details. */
  details?: Record<string, unknown>;
  /** In order; `payload` (without the violationId the runtime adds) compared whole when given. */
  compensations?: { type: string; ref?: string; payload?: Record<string, unknown> }[];
  alert?: MailOutput['alert'];
}

export interface InvariantResult<S> {
  state: S;
  violationId: string | null;
  details: Record<string, unknown> | undefined;
  commands: CommandOutput[];
  mail: MailOutput | null;
}

const ofKind = <K extends SagaOutput['kind']>(outputs: SagaOutput[], kind: K) =>
  outputs.filter((output): output is Extract<SagaOutput, { kind: K }> => output.kind === kind);

/**
 * Given/when/then for a declaration, over the saga Backstop derives from it
 * (givenSaga folds as the runtime does): `givenInvariant(seatCapacity, 'show-1', ...history)
 * .when(event).then({ violation: 'open', compensations: [...], alert: 'opened' })`.
 */
export function givenInvariant<S, F, E extends DomainEvent>(
  invariant: Invariant<S, F, E>,
  key: string | InvariantSpecOptions,
  ...history: SagaEvent[]
) {
  const options = typeof key === 'string' ? { key } : key;
  const settings: InvariantConfig = { ...DEFAULT_INVARIANT_CONFIG, ...options.settings };
  const given = givenSaga(
    invariantSaga(invariant, () => settings),
    options.key,
    ...history,
  );
  return {
    state: given.state,
    when(event: SagaEvent) {
      const { state, outputs } = given.when(event);
      return {
        state,
        outputs,
        then(expected: InvariantOutcome): InvariantResult<S> {
          const violations = ofKind(outputs, 'violation');
          expect(violations.map((v) => v.action)).toEqual(expected.violation ? [expected.violation] : []);
          const violation = violations[0];
          if (expected.details) expect(violation?.details).toMatchObject(expected.details);
          const commands = ofKind(outputs, 'command');
          // Every compensation and alert belongs to the episode this event changed.
          for (const command of commands) expect(command.payload.violationId).toBe(violation?.violationId);
          const issued = commands.map(({ type, ref, payload: { violationId: _, ...payload } }) => ({
            type,
            ref,
            payload,
          }));
          expect(issued).toEqual((expected.compensations ?? []).map((c) => expect.objectContaining(c)));
          const mails = ofKind(outputs, 'mail');
          expect(mails.map((mail) => mail.alert)).toEqual(expected.alert ? [expected.alert] : []);
          for (const mail of mails) expect(mail.violationId).toBe(violation?.violationId);
          return {
            state,
            violationId: violation?.violationId ?? null,
            details: violation?.details,
            commands,
            mail: mails[0] ?? null,
          };
        },
        /** The event changed no episode, issued nothing, mailed nothing. Returns the state it left. */
        thenNothingHappened(): S {
          expect(outputs).toEqual([]);
          return state;
        },
      };
    },
  };
}
