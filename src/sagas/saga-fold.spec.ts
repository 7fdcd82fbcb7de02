import { sagaEvent } from '../testing/saga-spec';
import { foldEvents } from './saga-fold';
import { RegisteredSaga } from './saga-registry';
import { SagaEvent, SagaMessage } from '../saga-api/saga.types';

/** Counts events into `seen` in place (as a saga may), throws on `bad`, issues one command per event. */
const saga: RegisteredSaga = {
  name: 'counter',
  events: ['E'],
  partitions: 1,
  keyOf: (event) => event.payload.key,
  definition: {
    initialState: () => ({ seen: [] as number[] }),
    evolve: (state: any, message: SagaMessage) => {
      if (message.type !== 'E') return state;
      state.seen.push((message as SagaEvent).payload.n);
      if ((message as SagaEvent).payload.bad) throw new Error('bad event');
      return state;
    },
    decide: (_: unknown, event: SagaEvent) => [
      { kind: 'command' as const, type: 'C', payload: { n: event.payload.n } },
    ],
  },
};

const items = (...ns: [number, boolean?][]) =>
  ns.map(([n, bad]) => ({ key: 'k', event: sagaEvent('E', { key: 'k', n, bad }) }));

describe('foldEvents', () => {
  it('folds every event in order, with one output each', () => {
    const states = new Map<string, unknown>();
    const folded = foldEvents(saga, states, items([1], [2]));
    expect(folded.folded).toBe(2);
    expect(folded.failure).toBeUndefined();
    expect(states.get('k')).toEqual({ seen: [1, 2] });
    expect(folded.pending.map((p) => p.output)).toEqual([
      { kind: 'command', type: 'C', payload: { n: 1 } },
      { kind: 'command', type: 'C', payload: { n: 2 } },
    ]);
  });

  it('throws at a failing event by default', () => {
    expect(() => foldEvents(saga, new Map(), items([1], [2, true]))).toThrow('bad event');
  });

  it(
    'with stopAtFailure, stops before the failing event, keeps what ' +
      'came before, and leaves the state as it was before that event',
    () => {
      const states = new Map<string, unknown>([['k', { seen: [0] }]]);
      const folded = foldEvents(saga, states, items([1], [2, true], [3]), true);
      expect(folded.folded).toBe(1);
      expect(folded.failure?.item.event.payload.n).toBe(2);
      expect(String(folded.failure?.error)).toBe('Error: bad event');
      expect(states.get('k')).toEqual({ seen: [0, 1] });
      expect(folded.pending.map((p) => p.output.kind === 'command' && p.output.payload.n)).toEqual([1]);
    },
  );
});
