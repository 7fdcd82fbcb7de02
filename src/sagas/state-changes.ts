/*
 * A batch writes back only what it changed. A key whose events left its state
 * as it was (an event the saga ignores, a no-op change) keeps its row
 * untouched. A saga may name one field of its state as a map of entries
 * (`SagaOptions.entries`, e.g. a customer's open orders): that map is stored
 * one row per entry (saga_state_entries), so a batch writes the entries it
 * added, changed or removed, not the whole map; the rest of the state is one
 * JSON value as before, written when it changed.
 */

/** A key's state in the form it is stored. */
export interface StoredState {
  /** The field whose entries are rows of saga_state_entries, or null: the state is one JSON value. */
  field: string | null;
  /** The state as JSON, less that field. */
  rest: string;
  /** Each entry of the field, as JSON (an object with no prototype: faster than a Map for thousands of entries). */
  entries: Record<string, string>;
}

export interface StateWrites {
  states: { key: string; field: string | null; json: string }[];
  /** Written before `entries`, so that an entry moved between shapes is deleted, then written. */
  removed: { key: string; entry: string }[];
  entries: { key: string; entry: string; json: string }[];
}

const noEntries = (): Record<string, string> => Object.create(null);

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * How `state` is stored when `field` names its map. A state whose field is no
 * map (absent, null, an array) is stored whole, so that it reads back as it was.
 */
export function storedForm(state: unknown, field: string | null | undefined): StoredState {
  if (!field || !isMap(state) || !isMap(state[field])) {
    return { field: null, rest: JSON.stringify(state) ?? 'null', entries: noEntries() };
  }
  const { [field]: map, ...rest } = state;
  const entries = noEntries();
  const values = map as Record<string, unknown>;
  // As JSON.stringify of the whole map would: an entry whose value has no JSON form is left out.
  for (const entry of Object.keys(values)) {
    const json = JSON.stringify(values[entry]);
    if (json !== undefined) entries[entry] = json;
  }
  return { field, rest: JSON.stringify(rest), entries };
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
 */
export function stateWrites(
  loaded: Map<string, StoredState>,
  states: Map<string, unknown>,
  field: string | undefined,
): StateWrites {
  const writes: StateWrites = { states: [], removed: [], entries: [] };
  for (const [key, state] of states) {
    const before = loaded.get(key);
    const after = storedForm(state, field);
    if (!before || before.field !== after.field || before.rest !== after.rest)
      writes.states.push({ key, field: after.field, json: after.rest });
    const kept = before && before.field === after.field ? before.entries : noEntries();
    for (const entry of Object.keys(before?.entries ?? {}))
      if (!(entry in kept) || !(entry in after.entries)) writes.removed.push({ key, entry });
    for (const entry of Object.keys(after.entries)) {
      const json = after.entries[entry];
      if (kept[entry] !== json) writes.entries.push({ key, entry, json });
    }
  }
  return writes;
}
