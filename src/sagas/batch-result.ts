import { Checkpoint, checkpointOf, RecordedEvent } from '../event-log/event-log.types';
import { isTransientDatabaseError } from '../shared/transient-error';
import { WrittenOutputs } from './output-writer';
import { PartitionLostError } from './saga-store';

export type BatchResult =
  /** `held`: events wait behind an older open transaction (see ReadAllResult). */
  | { kind: 'idle'; held?: boolean }
  | ({ kind: 'progress'; events: number } & WrittenOutputs)
  /** An event of `key` failed for a reason of its own (a transient database error is thrown instead). */
  | { kind: 'failed'; position: number; error: string; event: RecordedEvent; key?: string }
  | { kind: 'stopped' }
  | { kind: 'lost' };

type Progress = Extract<BatchResult, { kind: 'progress' }>;

/**
 * After a batch failed for a reason of its own: its events one at a time, so
 * that those before the culprit are committed and the culprit is known.
 */
export async function oneAtATime(
  events: RecordedEvent[],
  start: Checkpoint,
  commitOne: (from: Checkpoint, event: RecordedEvent) => Promise<Progress>,
  failed: (event: RecordedEvent, error: unknown) => BatchResult,
): Promise<BatchResult> {
  let from = start;
  let done = 0;
  const written: WrittenOutputs = { commands: 0, mails: 0, opened: [], resolved: [] };
  for (const event of events) {
    try {
      const one = await commitOne(from, event);
      written.commands += one.commands;
      written.mails += one.mails;
      written.opened.push(...one.opened);
      written.resolved.push(...one.resolved);
      done += one.events;
    } catch (error) {
      if (error instanceof PartitionLostError) return { kind: 'lost' };
      if (isTransientDatabaseError(error)) throw error;
      return failed(event, error);
    }
    from = checkpointOf(event);
  }
  return { kind: 'progress', events: done, ...written };
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
