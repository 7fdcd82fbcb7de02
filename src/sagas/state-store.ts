import { EntityManager } from 'typeorm';
import { StateWrites, StoredState, storedForm, withEntries } from './state-changes';

export interface LoadedStates {
  /** Each key's state as the saga sees it: one plain object, its map's entries put back in. */
  states: Map<string, unknown>;
  /** How each was stored, taken before the fold changes the states in place (see stateWrites). */
  stored: Map<string, StoredState>;
}

const rows = (items: object[]) => `[${items.map((item) => JSON.stringify(item)).join(',')}]`;

/** SQL for per-key saga state (saga_states; saga_state_entries for a map kept apart), in the caller's transaction. */
export const stateStore = {
  /**
   * Reads both shapes: a state stored whole (entries_field null: every state
   * stored before its saga named a field, and those of sagas that name none)
   * and a split one, whose entries are put back under their field. They come
   * as json, not jsonb (json_object_agg only strings them together), in
   * jsonb's key order, so that the saga sees the object a whole state would
   * have read back as.
   */
  async load(tx: EntityManager, saga: string, keys: string[]): Promise<LoadedStates> {
    return (await stateStore.loadUnlessParked(tx, saga, keys, null))!;
  },

  /**
   * load, with the check that `partition` has no parked key in the same
   * statement (a round trip less per batch): undefined when it has one, and
   * the caller takes the long way (see PartitionProcessor.unparked).
   */
  async loadUnlessParked(
    tx: EntityManager,
    saga: string,
    keys: string[],
    partition: number | null,
  ): Promise<LoadedStates | undefined> {
    const found: {
      parked: boolean;
      key: string | null;
      field: string | null;
      state: unknown;
      entries: string | null;
    }[] = await tx.query(
      `SELECT p.parked, s.key, s.entries_field AS field, s.state, CASE WHEN s.entries_field IS NOT NULL THEN
                (SELECT coalesce(json_object_agg(e.entry, e.value ORDER BY octet_length(e.entry), e.entry COLLATE "C"),
                                 '{}'::json)
                   FROM saga_state_entries e WHERE e.saga = s.saga AND e.key = s.key)::text END AS entries
           FROM (SELECT $3::int IS NOT NULL AND EXISTS (
                   SELECT 1 FROM saga_parked_keys WHERE saga = $1 AND partition = $3) AS parked) p
           LEFT JOIN saga_states s ON NOT p.parked AND s.saga = $1 AND s.key = ANY($2::text[])`,
      [saga, keys, partition],
    );
    if (found[0].parked) return undefined;
    const states = new Map<string, unknown>();
    const stored = new Map<string, StoredState>();
    for (const { key, field, state, entries } of found) {
      if (key === null) continue;
      if (field === null || entries === null) {
        states.set(key, state);
        stored.set(key, storedForm(state, null));
        continue;
      }
      const rest = state as Record<string, unknown>;
      // Parsed twice: the saga's copy, and the one its changes are compared with (cheaper than serializing each entry).
      states.set(key, withEntries(rest, field, JSON.parse(entries)));
      stored.set(key, { field, rest: JSON.stringify(rest), entries: JSON.parse(entries) });
    }
    return { states, stored };
  },

  async save(tx: EntityManager, saga: string, writes: StateWrites): Promise<void> {
    if (writes.states.length) {
      // Each state is JSON already: spliced in as it is rather than parsed and serialized again.
      const states = writes.states.map(
        ({ key, field, json }) => `{"key":${JSON.stringify(key)},"field":${JSON.stringify(field)},"state":${json}}`,
      );
      await tx.query(
        `INSERT INTO saga_states (saga, key, state, entries_field)
         SELECT $1, s.key, coalesce(s.state, 'null'::jsonb), s.field
           FROM jsonb_to_recordset($2::jsonb) AS s(key text, field text, state jsonb)
         ON CONFLICT (saga, key) DO UPDATE
           SET state = EXCLUDED.state, entries_field = EXCLUDED.entries_field, updated_at = now()`,
        [saga, `[${states.join(',')}]`],
      );
    }
    if (writes.removed.length) {
      await tx.query(
        `DELETE FROM saga_state_entries e USING jsonb_to_recordset($2::jsonb) AS r(key text, entry text)
          WHERE e.saga = $1 AND e.key = r.key AND e.entry = r.entry`,
        [saga, rows(writes.removed)],
      );
    }
    if (writes.entries.length) {
      const entries = writes.entries.map(
        ({ key, entry, json }) => `{"key":${JSON.stringify(key)},"entry":${JSON.stringify(entry)},"value":${json}}`,
      );
      await tx.query(
        `INSERT INTO saga_state_entries (saga, key, entry, value)
         SELECT $1, r.key, r.entry, coalesce(r.value, 'null'::jsonb)
           FROM jsonb_to_recordset($2::jsonb) AS r(key text, entry text, value jsonb)
         ON CONFLICT (saga, key, entry) DO UPDATE SET value = EXCLUDED.value`,
        [saga, `[${entries.join(',')}]`],
      );
    }
  },
};
