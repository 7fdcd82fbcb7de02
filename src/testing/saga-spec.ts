import { OUTPUT_ECHO, SagaDefinition, SagaEvent, SagaOutput } from '../saga-api/saga.types';

let sequence = 0;

/** A SagaEvent for specs: type and payload, the rest filled in plausibly. */
export function sagaEvent<P extends object>(
  type: string,
  payload: P,
  overrides: Partial<SagaEvent<P>> = {},
): SagaEvent<P> {
  sequence++;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    type,
    payload,
    metadata: { eventId: `e-${sequence}` },
    position: sequence,
    transactionId: String(1000 + sequence),
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)),
    ...overrides,
  };
}

/**
 * Given/when/then for a saga's pure functions, folding exactly as the
 * runtime does: evolve, decide, echo each output back into evolve.
 */
export function givenSaga<S>(saga: SagaDefinition<S>, key: string, ...history: SagaEvent[]) {
  const step = (state: S, event: SagaEvent): { state: S; outputs: SagaOutput[] } => {
    let next = saga.evolve(state, event);
    const outputs = saga.decide(next, event);
    for (const output of outputs) next = saga.evolve(next, { type: OUTPUT_ECHO, output, cause: event });
    return { state: next, outputs };
  };
  let state = saga.initialState(key);
  for (const event of history) state = step(state, event).state;
  return {
    state,
    when(event: SagaEvent) {
      // A copy as storage would hand it over: evolve may update its state in place.
      const result = step(JSON.parse(JSON.stringify(state)) as S, event);
      return {
        state: result.state,
        outputs: result.outputs,
        then(expected: SagaOutput[]): S {
          expect(result.outputs).toEqual(expected);
          return result.state;
        },
        /** The event decided nothing: `then([])`. Its effect on the state is the returned state. */
        thenNothingHappened(): S {
          expect(result.outputs).toEqual([]);
          return result.state;
        },
      };
    },
  };
}
