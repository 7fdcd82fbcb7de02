/*
 * A batch writes back only what it changed. A key whose events left its state
 * as it was (an event the saga ignores, a no-op change) keeps its row
 * untouched. A saga may name one field of its state as a map of entries
 * (`SagaOptions.entries`, e.g. a customer's open orders): that map is stored
 * one row per entry (saga_state_entries), so a batch writes the entries it
 * added, changed or removed, not the whole map; the rest of the state is one
 * JSON value as before, written when it changed.
 */

/** A key's state in the form it is stored, as it was loaded (before the fold changed it in place). */
export interface StoredState {
  /** The field whose entries are rows of saga_state_entries, or null: the state is one JSON value. */
  field: string | null;
  /** The state as JSON, less that field. */
  rest: string;
  /**
   * Each entry of the field as it was loaded: a copy of its own that the fold never sees. Compared by value, not
   * serialized, so that only the entries a batch changed are serialized at all (a prototype-less object: faster
   * than a Map for thousands of entries).
   */
  entries: Record<string, unknown>;
}

export interface StateWrites {
  states: { key: string; field: string | null; json: string }[];
  /** Written before `entries`, so that an entry moved between shapes is deleted, then written. */
  removed: { key: string; entry: string }[];
  entries: { key: string; entry: string; json: string }[];
}

const noEntries = (): Record<string, unknown> => Object.create(null);

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether two values have the same JSON form, `a` fresh from JSON. It may
 * answer false for values that serialize alike (an undefined field, a NaN),
 * which only writes an entry again; it never answers true for values that
 * serialize differently.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => has(b, key) && sameJson(a[key], b[key]));
}
const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const hasJson = (value: unknown) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The map under `field` when `state` is stored split, else undefined (a field that is no map is stored whole). */
const mapOf = (state: unknown, field: string | null | undefined) =>
  field && isMap(state) && isMap(state[field]) ? state[field] : undefined;

/** The stored form of `state`, which must be a copy of its own (its entries are kept by reference). */
export function storedForm(state: unknown, field: string | null | undefined): StoredState {
  const map = mapOf(state, field);
  if (!map) return { field: null, rest: JSON.stringify(state) ?? 'null', entries: noEntries() };
  return { field: field!, rest: restJson(state as Record<string, unknown>, field!), entries: map };
}

function restJson(state: Record<string, unknown>, field: string): string {
  const { [field]: _map, ...rest } = state;
  return JSON.stringify(rest);
}

/** jsonb's order of object keys: shorter first (in bytes), then bytewise. */
const jsonbBefore = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length !== y.length ? x.length < y.length : Buffer.compare(x, y) < 0;
};

/** `rest` (in jsonb's key order) with `field` put back among its keys where jsonb would have it. */
export function withEntries(rest: Record<string, unknown>, field: string, entries: Record<string, unknown>) {
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(rest)) {
    if (!(field in state) && jsonbBefore(field, key)) state[field] = entries;
    state[key] = rest[key];
  }
  if (!(field in state)) state[field] = entries;
  return state;
}

/**
 * What to write for the states of a batch, given how each was stored when it
 * was loaded (`loaded`: absent for a new key) and the saga's declared field.
 * An entry whose value has no JSON form is left out, as JSON.stringify of the
 * whole map would.
 */
export function stateWrites(
  loaded: Map<string, StoredState>,
  states: Map<string, unknown>,
  field: string | undefined,
): StateWrites {
  const writes: StateWrites = { states: [], removed: [], entries: [] };
  for (const [key, state] of states) {
    const before = loaded.get(key);
    const map = mapOf(state, field);
    const after = map ? { field: field!, rest: restJson(state as Record<string, unknown>, field!) } : undefined;
    const shape = after ?? { field: null, rest: JSON.stringify(state) ?? 'null' };
    if (!before || before.field !== shape.field || before.rest !== shape.rest)
      writes.states.push({ key, field: shape.field, json: shape.rest });
    const kept = before && before.field === shape.field ? before.entries : noEntries();
    const now = map ?? noEntries();
    for (const entry of Object.keys(before?.entries ?? {}))
      if (!has(kept, entry) || !has(now, entry) || !hasJson(now[entry])) writes.removed.push({ key, entry });
    for (const entry of Object.keys(now)) {
      if (!hasJson(now[entry]) || (has(kept, entry) && sameJson(kept[entry], now[entry]))) continue;
      writes.entries.push({ key, entry, json: JSON.stringify(now[entry]) });
    }
  }
  return writes;
}
