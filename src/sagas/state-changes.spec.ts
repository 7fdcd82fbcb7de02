import { sameJson, stateWrites, storedForm, withEntries } from './state-changes';

/** As loaded: a copy of its own, which the fold does not change. */
const split = (state: unknown) => new Map([['k', storedForm(structuredClone(state), 'items')]]);

describe('state writes', () => {
  it('writes a state whose field is no map whole, so that it reads back as it was', () => {
    for (const items of [undefined, null, [1, 2], 3]) {
      const writes = stateWrites(new Map(), new Map([['k', { items, n: 1 }]]), 'items');
      expect(writes).toEqual({
        states: [{ key: 'k', field: null, json: JSON.stringify({ items, n: 1 }) }],
        removed: [],
        entries: [],
      });
    }
  });

  it('writes nothing for a state the batch left as it was, and only the changed entry otherwise', () => {
    const state = { items: { a: { n: 1 }, b: { n: 2 } }, n: 2 };
    expect(stateWrites(split(state), new Map([['k', state]]), 'items')).toEqual({
      states: [],
      removed: [],
      entries: [],
    });
    const loaded = split(state);
    state.items.b.n = 3;
    expect(stateWrites(loaded, new Map([['k', state]]), 'items')).toEqual({
      states: [],
      removed: [],
      entries: [{ key: 'k', entry: 'b', json: '{"n":3}' }],
    });
  });

  it('leaves out an entry with no JSON form, as JSON.stringify of the whole map would', () => {
    const writes = stateWrites(new Map(), new Map([['k', { items: { a: undefined, b: 1 } }]]), 'items');
    expect(writes.entries).toEqual([{ key: 'k', entry: 'b', json: '1' }]);
  });

  it('stores a split state whole again, its entries deleted, once its saga names no field', () => {
    const state = { items: { a: 1, b: 2 }, n: 2 };
    expect(stateWrites(split(state), new Map([['k', state]]), undefined)).toEqual({
      states: [{ key: 'k', field: null, json: JSON.stringify(state) }],
      removed: [
        { key: 'k', entry: 'a' },
        { key: 'k', entry: 'b' },
      ],
      entries: [],
    });
  });

  it('tells entries apart by their JSON form, whatever their names', () => {
    const state = { items: { constructor: 1, toString: { a: [1, { b: null }] } } as Record<string, unknown> };
    const loaded = split(state);
    expect(stateWrites(loaded, new Map([['k', state]]), 'items').entries).toEqual([]);
    Object.assign(state.items, { toString: { a: [1, { b: 0 }] }, hasOwnProperty: 2 });
    expect(stateWrites(loaded, new Map([['k', state]]), 'items').entries).toEqual([
      { key: 'k', entry: 'toString', json: '{"a":[1,{"b":0}]}' },
      { key: 'k', entry: 'hasOwnProperty', json: '2' },
    ]);
  });

  it('never takes values of different JSON for the same', () => {
    const pairs: [unknown, unknown][] = [
      [1, '1'],
      [[1], { 0: 1 }],
      [{ a: 1 }, { a: 1, b: 2 }],
      [
        { a: 1, b: 2 },
        { a: 1, c: 2 },
      ],
      [null, {}],
      [[], {}],
      [
        [1, 2],
        [2, 1],
      ],
    ];
    for (const [a, b] of pairs) expect(sameJson(a, b) && JSON.stringify(a) !== JSON.stringify(b)).toBe(false);
    expect(sameJson({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
  });

  it("puts the field back among the other keys in jsonb's order (shorter first, then bytewise)", () => {
    expect(Object.keys(withEntries({ n: 1, abcdef: 2 }, 'items', {}))).toEqual(['n', 'items', 'abcdef']);
    expect(Object.keys(withEntries({ n: 1, itemz: 2 }, 'items', {}))).toEqual(['n', 'items', 'itemz']);
    expect(Object.keys(withEntries({ n: 1 }, 'items', {}))).toEqual(['n', 'items']);
  });
});
