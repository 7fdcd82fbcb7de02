import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { BackstopMetrics } from '../telemetry/backstop-metrics';
import { ConcurrencyConflictError } from './concurrency-conflict.error';
import { Checkpoint, NewEvent, ReadAllResult, RecordedEvent, StreamRef } from './event-log.types';
import { EVENT_COLUMNS, EventRow, readSubscription } from './subscription-read';

export const EVENT_LOG_CHANNEL = 'backstop_event_log';

const COLUMNS = EVENT_COLUMNS;

@Injectable()
export class EventLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: BackstopMetrics,
  ) {}

  /**
   * Appends events to a stream inside the caller's transaction. Writes nothing
   * and throws ConcurrencyConflictError when the stream is not at
   * `expectedVersion` (0 for a new stream), including when a concurrent
   * transaction appended the same version first.
   */
  async append(
    manager: EntityManager,
    stream: StreamRef,
    expectedVersion: number,
    events: NewEvent[],
  ): Promise<RecordedEvent[]> {
    if (events.length === 0) return [];
    const rows = events.map((event, index) => {
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
    try {
      const inserted: EventRow[] = await manager.query(
        `INSERT INTO event_log (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
         SELECT e.event_id, $1, $2, e.stream_version, e.event_type, e.payload, e.metadata,
                ARRAY(SELECT jsonb_array_elements_text(e.tags))
           FROM jsonb_to_recordset($4::jsonb)
             AS e(event_id uuid, stream_version int, event_type text, payload jsonb, metadata jsonb, tags jsonb)
          WHERE (SELECT coalesce(max(stream_version), 0) FROM event_log WHERE stream_id = $2) = $3
          ORDER BY e.stream_version
         RETURNING ${COLUMNS}`,
        [stream.type, stream.id, expectedVersion, JSON.stringify(rows)],
      );
      if (inserted.length !== rows.length) throw new ConcurrencyConflictError(stream.id, expectedVersion);
      for (const row of rows) this.metrics?.eventsAppended.inc({ type: row.event_type });
      return inserted.map(toRecordedEvent);
    } catch (error) {
      if (isUniqueViolation(error, 'event_log_stream_version_key')) {
        throw new ConcurrencyConflictError(stream.id, expectedVersion);
      }
      throw error;
    }
  }

  async readStream(streamId: string, manager: EntityManager = this.dataSource.manager): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM event_log WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map(toRecordedEvent);
  }

  /**
   * Events after `after`, in commit-safe order. Only transactions older than
   * the oldest one still running are returned, so the reader can never move
   * its checkpoint past an event that is yet to commit. The checkpoint also
   * moves past events of other types (see readSubscription).
   */
  async readAll(
    after: Checkpoint,
    limit = 500,
    options: { types?: string[]; manager?: EntityManager } = {},
    until?: Checkpoint,
  ): Promise<ReadAllResult> {
    const { types, manager = this.dataSource.manager } = options;
    return readSubscription(manager, after, limit, { types }, toRecordedEvent, until);
  }

  /**
   * readAll for one partition of a keyed subscriber: scans up to `limit`
   * events of `types` in commit-safe order, but returns only those whose
   * `payload[keyField]` hashes onto `partition` (see partitionOf). The
   * checkpoint covers everything scanned, so a partition also moves past
   * the events of the others without receiving their payloads. With
   * `until`, nothing after that checkpoint is scanned.
   */
  async readPartition(
    after: Checkpoint,
    limit: number,
    options: { types: string[]; keyField: string; partitions: number; partition: number },
    until?: Checkpoint,
  ): Promise<ReadAllResult> {
    const { partition, ...rest } = options;
    return this.readPartitions(after, limit, { ...rest, of: [partition] }, until);
  }

  /** readPartition for several partitions in one scan: the events of any of `of` come back. */
  async readPartitions(
    after: Checkpoint,
    limit: number,
    options: { types: string[]; keyField: string; partitions: number; of: number[] },
    until?: Checkpoint,
  ): Promise<ReadAllResult> {
    const { types, ...partition } = options;
    return readSubscription(this.dataSource.manager, after, limit, { types, partition }, toRecordedEvent, until);
  }

  /**
   * Events of `types` after `after` up to `upTo` (included), in commit order,
   * whose `payload[keyField]` is `key` (all of them without a keyField): one
   * key's events, re-read for a parked key's retry.
   */
  async readKeyRange(
    manager: EntityManager,
    range: { after: Checkpoint; upTo: Checkpoint },
    filter: { types: string[]; keyField?: string; key: string },
  ): Promise<RecordedEvent[]> {
    const { after, upTo } = range;
    const rows: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM event_log
        WHERE event_type = ANY($1::text[])
          AND (transaction_id, position) > ($2::xid8, $3::bigint) AND (transaction_id, position) <= ($4::xid8, $5::bigint)
          AND ($6::text IS NULL OR payload->>$6::text = $7::text)
        ORDER BY transaction_id, position`,
      [
        filter.types,
        after.transactionId,
        after.position,
        upTo.transactionId,
        upTo.position,
        filter.keyField ?? null,
        filter.key,
      ],
    );
    return rows.map(toRecordedEvent);
  }

  /** Events carrying a tag (e.g. `customer:c-1`), in commit order. */
  async readByTag(tag: string, manager: EntityManager = this.dataSource.manager): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM event_log WHERE tags @> ARRAY[$1]::text[] ORDER BY transaction_id, position`,
      [tag],
    );
    return rows.map(toRecordedEvent);
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: Number(row.position),
    transactionId: row.txid,
    streamType: row.stream_type,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.event_type,
    payload: row.payload,
    metadata: row.metadata,
    tags: row.tags,
    recordedAt: row.recorded_at,
  };
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint: violated } = driverError as { code?: string; constraint?: string };
  return code === '23505' && (constraint === undefined || violated === constraint);
}
