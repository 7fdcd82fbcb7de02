import { Aggregate, Versioned } from '../aggregates/aggregate';
import { DomainError, ErrorCode } from '../shared/domain-error';

/** The event union of an aggregate. */
type EventsOf<A extends Aggregate<Versioned>> = ReturnType<A['getUncommittedEvents']>[number];

/**
 * Given/when/then for aggregates: start from past events, run one command,
 * and look at the events it recorded or the error it raised.
 */
export function given<A extends Aggregate<Versioned>>(blank: A, ...history: EventsOf<A>[]) {
  const aggregate = blank.replay(history);
  return {
    aggregate,
    when(command: (aggregate: A) => void) {
      let error: unknown;
      try {
        command(aggregate);
      } catch (caught) {
        error = caught;
      }
      return {
        then(expected: EventsOf<A>[]): A {
          if (error) throw error;
          expect(aggregate.getUncommittedEvents()).toEqual(expected);
          return aggregate;
        },
        thenRefused(code: ErrorCode, message?: RegExp): void {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(code);
          if (message) expect((error as DomainError).message).toMatch(message);
          expect(aggregate.getUncommittedEvents()).toEqual([]);
        },
      };
    },
  };
}
