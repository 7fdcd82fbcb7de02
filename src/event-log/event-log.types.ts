export interface EventMetadata {
  eventId: string;
  correlationId?: string;
  causationId?: string;
  commandId?: string;
  [key: string]: unknown;
}

/** An event about to be appended. */
export interface NewEvent<P extends object = Record<string, unknown>> {
  type: string;
  payload: P;
  /** Business keys to find the event by, e.g. `customer:c-1`, `coupon:SPRING`. */
  tags?: string[];
  metadata?: Partial<EventMetadata>;
}

export interface StreamRef {
  type: string;
  id: string;
}

export interface RecordedEvent<P extends object = Record<string, unknown>> {
  position: number;
  /** PostgreSQL transaction id (xid8) of the append, as a decimal string. */
  transactionId: string;
  streamType: string;
  streamId: string;
  streamVersion: number;
  type: string;
  payload: P;
  metadata: EventMetadata;
  tags: string[];
  recordedAt: Date;
}

/**
 * Where a reader stands in the log. The order is (transactionId, position),
 * not position alone: positions are handed out before commit, so a smaller
 * position can become visible after a larger one.
 */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const LOG_START: Checkpoint = { transactionId: '0', position: 0 };

export function checkpointOf(event: RecordedEvent): Checkpoint {
  return { transactionId: event.transactionId, position: event.position };
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /** Checkpoint after the last event returned (the input when none). */
  checkpoint: Checkpoint;
  /** The read saw everything below the horizon: nothing more to read now. */
  caughtUp?: boolean;
  /**
   * Committed events wait at or past the horizon, behind an older transaction
   * still open. Its end wakes nobody if it appended nothing, so the reader
   * has to come back by itself.
   */
  held?: boolean;
}
