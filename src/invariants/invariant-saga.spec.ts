import { SagaOutput } from '../saga-api/saga.types';
import { givenSaga, sagaEvent } from '../testing/saga-spec';
import { defineInvariant, judge, wouldExceed } from './define-invariant';
import { invariantSaga, invariantSagaOptions } from './invariant-saga';
import { DEFAULT_INVARIANT_CONFIG } from './invariant-settings';

interface State {
  key: string;
  limit: number | null;
  items: string[];
  episode: string | null;
}

const rule = {
  actual: (f: { n: number; max: number }) => f.n,
  limit: (f: { max: number }) => f.max,
  slack: (_f: unknown, t: number) => t,
};

const cap = defineInvariant<State, { n: number; max: number }>({
  name: 'item-cap',
  rule: 'at most max items',
  key: 'boxId',
  events: ['BoxOpened', 'ItemAdded', 'ItemRemoved'],
  tolerance: 'setting',
  initialState: (key) => ({ key, limit: null, items: [], episode: null }),
  evolve: (s, e) =>
    e.type === 'BoxOpened'
      ? { ...s, limit: e.payload.max }
      : e.type === 'ItemAdded'
        ? { ...s, items: [...s.items, e.payload.item] }
        : { ...s, items: s.items.filter((i) => i !== e.payload.item) },
  onOutput: (s, o) => (o.kind === 'violation' ? { ...s, episode: o.action === 'resolve' ? null : o.violationId } : s),
  openEpisode: (s) => s.episode,
  figures: (s) => (s.limit === null ? null : { n: s.items.length, max: s.limit }),
  check: rule,
  compensate: (s, { judgement }) =>
    s.items
      .slice(judgement.allowed)
      .reverse()
      .map((item) => ({ type: 'RemoveItem', ref: item, payload: { boxId: s.key, item } })),
  details: (s, { judgement }) => ({ n: judgement.actual, allowed: judgement.allowed }),
  alert: {
    subjectOf: (s) => `box ${s.key}`,
    figures: (_s, { judgement }) => [['Items', judgement.actual]],
    involved: (s) => s.items,
    action: (_s, _c, alert) => (alert === 'opened' ? 'Removing.' : 'Fits.'),
  },
  audit: { noun: 'box(es)', sql: 'SELECT 1', figures: (r) => ({ n: Number(r.n), max: Number(r.max) }) },
});

const box = (max: number) => sagaEvent('BoxOpened', { boxId: 'b', max });
const add = (item: string) => sagaEvent('ItemAdded', { boxId: 'b', item });
const kinds = (outputs: SagaOutput[]) =>
  outputs.map((o) =>
    o.kind === 'violation' ? `violation:${o.action}` : o.kind === 'command' ? `${o.type}:${o.ref}` : `mail:${o.alert}`,
  );

describe('the saga derived from a declaration', () => {
  it('subscribes to the declared events plus the refusals of its compensations, under the declared name', () => {
    expect(invariantSagaOptions(cap)).toEqual({
      name: 'item-cap',
      events: ['BoxOpened', 'ItemAdded', 'ItemRemoved', 'CompensationRejected'],
      key: 'boxId',
    });
  });

  it('judges with the one rule: breached past limit + tolerance, a command strictly past the limit', () => {
    expect(judge(rule, { n: 3, max: 2 }, 1)).toEqual({ breached: false, actual: 3, allowed: 3 });
    expect(judge(rule, { n: 4, max: 2 }, 1)).toEqual({ breached: true, actual: 4, allowed: 3 });
    expect(wouldExceed(rule, { n: 2, max: 2 }, 1)).toBe(true);
    expect(wouldExceed(rule, { n: 1, max: 2 }, 1)).toBe(false);
  });

  it('opens one episode with its alert and compensations (violationId added), then resolves it', () => {
    const saga = invariantSaga(cap, () => DEFAULT_INVARIANT_CONFIG);
    const opened = givenSaga(saga, 'b', box(1), add('x')).when(add('y'));
    expect(kinds(opened.outputs)).toEqual(['violation:open', 'mail:opened', 'RemoveItem:y']);
    const violationId = (opened.outputs[0] as { violationId: string }).violationId;
    expect(opened.outputs[2]).toMatchObject({ payload: { boxId: 'b', item: 'y', violationId } });
    expect(opened.outputs[1]).toMatchObject({ subject: '[Backstop] Violation opened: item-cap for box b' });
    const resolved = givenSaga(saga, 'b', box(1), add('x'), add('y')).when(
      sagaEvent('ItemRemoved', { boxId: 'b', item: 'y' }),
    );
    expect(kinds(resolved.outputs)).toEqual(['violation:resolve', 'mail:resolved']);
  });

  it('follows the settings: no mail without alert, no command without compensate, tolerance from the settings', () => {
    const quiet = invariantSaga(cap, () => ({ ...DEFAULT_INVARIANT_CONFIG, reactions: [] }));
    expect(kinds(givenSaga(quiet, 'b', box(1), add('x')).when(add('y')).outputs)).toEqual(['violation:open']);
    const lenient = invariantSaga(cap, () => ({ ...DEFAULT_INVARIANT_CONFIG, tolerance: 1 }));
    expect(givenSaga(lenient, 'b', box(1), add('x')).when(add('y')).outputs).toEqual([]);
  });
});
