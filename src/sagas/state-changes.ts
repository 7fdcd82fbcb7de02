/*
 * A batch writes back only the states it changed: a key whose events left its
 * state as it was (an event the saga ignores, a no-op change) keeps its row
 * untouched. A state is one JSON value the runtime cannot see into, so a
 * changed one is still written whole, once per batch however many of the
 * key's events the batch folded.
 */

/** Each state as JSON, so that a state the batch left as it was is not written back. */
export function serialized(states: Map<string, unknown>): Map<string, string> {
  return new Map([...states].map(([key, state]) => [key, JSON.stringify(state) ?? 'null']));
}

/** The states that differ from what was loaded (new keys included), as JSON. */
export function changedStates(loaded: Map<string, string>, states: Map<string, unknown>): Map<string, string> {
  const changed = new Map<string, string>();
  for (const [key, state] of states) {
    const json = JSON.stringify(state) ?? 'null';
    if (loaded.get(key) !== json) changed.set(key, json);
  }
  return changed;
}
