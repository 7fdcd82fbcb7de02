import { randomUUID } from 'node:crypto';
import { NewEvent } from './event-log.types';

// The statements of EventLogService.append, and its events as their parameters.

/** What the append gets back: the rest of a recorded event is what it sent. */
const APPENDED = `position, transaction_id::text AS txid, recorded_at`;
const VERSION_GUARD = `(SELECT coalesce(max(stream_version), 0) FROM event_log WHERE stream_id = $2) = $3`;

/** One event (most appends): plain parameters, no JSON record set to unpack. */
export const APPEND_ONE = `INSERT INTO event_log
    (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
  SELECT $4::uuid, $1, $2, $5::int, $6, $7::jsonb, $8::jsonb, $9::text[] WHERE ${VERSION_GUARD}
  RETURNING ${APPENDED}`;

export const APPEND_MANY = `INSERT INTO event_log
    (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
  SELECT e.event_id, $1, $2, e.stream_version, e.event_type, e.payload, e.metadata,
         ARRAY(SELECT jsonb_array_elements_text(e.tags))
    FROM jsonb_to_recordset($4::jsonb)
      AS e(event_id uuid, stream_version int, event_type text, payload jsonb, metadata jsonb, tags jsonb)
   WHERE ${VERSION_GUARD}
   ORDER BY e.stream_version
  RETURNING ${APPENDED}`;

export function eventRows(expectedVersion: number, events: readonly NewEvent[]) {
  return events.map((event, index) => {
    const eventId = event.metadata?.eventId ?? randomUUID();
    return {
      event_id: eventId,
      stream_version: expectedVersion + index + 1,
      event_type: event.type,
      payload: event.payload,
      metadata: { ...event.metadata, eventId },
      tags: event.tags ?? [],
    };
  });
}

/** An event row as APPEND_ONE's parameters $4 to $9; JSON as text, so that an array payload stays JSON. */
export function oneRow(row: ReturnType<typeof eventRows>[number]): unknown[] {
  const { event_id, stream_version, event_type, payload, metadata, tags } = row;
  return [event_id, stream_version, event_type, JSON.stringify(payload), JSON.stringify(metadata), tags];
}
