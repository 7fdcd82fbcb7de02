import { assertNever, DomainEvent } from '../aggregates/domain-event';
import { givenSaga, sagaEvent } from '../testing/saga-spec';
import { defineInvariant, InvariantDeclaration } from './define-invariant';
import { invariantSaga } from './invariant-saga';
import { DEFAULT_INVARIANT_CONFIG } from './invariant-settings';

/*
 * Type-level checks: jest (ts-jest without diagnostics) does not fail on type errors, the type check does
 * (`npm run typecheck`, CI's `tsc --noEmit -p tsconfig.json`): each @ts-expect-error below must meet its error.
 */
type BoxEvent =
  DomainEvent<'BoxOpened', { boxId: string; max: number }> | DomainEvent<'ItemAdded', { boxId: string; item: string }>;

interface State {
  max: number | null;
  items: string[];
  episode: string | null;
}

const declaration = (evolve: InvariantDeclaration<State, { n: number; max: number }, BoxEvent>['evolve']) =>
  defineInvariant<State, { n: number; max: number }, BoxEvent>({
    name: 'box-cap',
    rule: 'at most max items',
    key: 'boxId',
    events: ['BoxOpened', 'ItemAdded'],
    tolerance: 'setting',
    initialState: () => ({ max: null, items: [], episode: null }),
    evolve,
    onOutput: (s, o) => (o.kind === 'violation' ? { ...s, episode: o.action === 'resolve' ? null : o.violationId } : s),
    openEpisode: (s) => s.episode,
    figures: (s) => (s.max === null ? null : { n: s.items.length, max: s.max }),
    check: { actual: (f) => f.n, limit: (f) => f.max, slack: (_f, t) => t },
    details: (_s, { judgement }) => ({ n: judgement.actual }),
    alert: { subjectOf: () => 'box', figures: () => [], involved: () => [], action: () => '' },
    audit: { noun: 'box(es)', sql: 'SELECT 1', figures: (r) => ({ n: Number(r.n), max: Number(r.max) }) },
  });

const boxCap = declaration((state, event) => {
  switch (event.type) {
    case 'BoxOpened':
      return { ...state, max: event.payload.max };
    case 'ItemAdded':
      return { ...state, items: [...state.items, event.payload.item] };
    default:
      return assertNever(event);
  }
});

// A renamed payload field is a compile error in evolve:
declaration((state, event) => {
  // @ts-expect-error BoxOpened has `max`, not `maximum`
  if (event.type === 'BoxOpened') return { ...state, max: event.payload.maximum };
  // @ts-expect-error ItemAdded carries no `max`
  if (event.type === 'ItemAdded') return { ...state, max: event.payload.max };
  return state;
});

// A switch that forgets a variant does not reach assertNever with `never`:
declaration((state, event) => {
  switch (event.type) {
    case 'BoxOpened':
      return state;
    default:
      // @ts-expect-error ItemAdded is not handled
      return assertNever(event);
  }
});

// A misspelt subscription is a compile error too.
// @ts-expect-error 'ItemAded' is no BoxEvent type
defineInvariant<State, { n: number; max: number }, BoxEvent>({ ...boxCap, events: ['BoxOpened', 'ItemAded'] });

// Without the event union a declaration stays untyped, as before: any type, any payload field.
defineInvariant<State, { n: number; max: number }>({
  ...boxCap,
  events: ['AnythingAtAll'],
  evolve: (state, event) => ({ ...state, max: event.payload.whatever ?? null }),
});

describe('defineInvariant with an event union', () => {
  it('folds the typed payloads through the derived saga', () => {
    const saga = invariantSaga(boxCap, () => DEFAULT_INVARIANT_CONFIG);
    const given = givenSaga(
      saga,
      'b',
      sagaEvent('BoxOpened', { boxId: 'b', max: 1 }),
      sagaEvent('ItemAdded', { boxId: 'b', item: 'x' }),
    );
    expect(given.state).toEqual({ max: 1, items: ['x'], episode: null });
    const breach = given.when(sagaEvent('ItemAdded', { boxId: 'b', item: 'y' }));
    expect(breach.outputs.map((output) => output.kind)).toEqual(['violation', 'mail']);
    expect(breach.state.items).toEqual(['x', 'y']);
  });
});
