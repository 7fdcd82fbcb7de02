import { deterministicUuid } from '../event-log/deterministic-uuid';

/** The id of the violation episode of (invariant, key) opened by an event. */
export function episodeId(invariant: string, key: string, openingEventId: string): string {
  return deterministicUuid(`violation|${invariant}|${key}|${openingEventId}`);
}
