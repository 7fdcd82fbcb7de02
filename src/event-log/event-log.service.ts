import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';
import { BackstopMetrics } from '../telemetry/backstop-metrics';
import { AppendSignal } from './append-signal';
import { ConcurrencyConflictError } from './concurrency-conflict.error';
import { Checkpoint, NewEvent, ReadAllResult, RecordedEvent, StreamRef } from './event-log.types';
import { APPEND_MANY, APPEND_ONE, eventRows, oneRow } from './append-statements';
import { EVENT_COLUMNS, EventRow, readSubscription } from './subscription-read';

const COLUMNS = EVENT_COLUMNS;
@Injectable()
export class EventLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: BackstopMetrics,
    @Optional() private readonly appends?: AppendSignal,
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
    const rows = eventRows(expectedVersion, events);
    try {
      const inserted = await preparedQuery<{ position: string; txid: string; recorded_at: Date }>(
        manager,
        rows.length === 1 ? APPEND_ONE : APPEND_MANY,
        rows.length === 1
          ? [stream.type, stream.id, expectedVersion, ...oneRow(rows[0])]
          : [stream.type, stream.id, expectedVersion, JSON.stringify(rows)],
      );
      if (inserted.length !== rows.length) throw new ConcurrencyConflictError(stream.id, expectedVersion);
      this.appended(manager, events);
      return inserted.map((row, i) =>
        toRecordedEvent({ ...rows[i], stream_type: stream.type, stream_id: stream.id, ...row }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'event_log_stream_version_key')) {
        throw new ConcurrencyConflictError(stream.id, expectedVersion);
      }
      throw error;
    }
  }

  /**
   * The INSERT of `events` as one part of a caller's own statement (the
   * aggregate repository writes its row, the events and the command's record
   * in one): the events go in only if `guard`, a relation of the same
   * statement, holds a row. The stream's version guard is the caller's; the
   * unique (stream_id, stream_version) key still refuses a duplicate.
   * Parameters are numbered from `$first`; call `appended` once it succeeded.
   */
  appendPart(
    stream: StreamRef,
    expectedVersion: number,
    events: NewEvent[],
    first: number,
    guard: string,
  ): { sql: string; params: unknown[] } {
    const [type, id, rows] = [first, first + 1, first + 2].map((n) => `$${n}`);
    return {
      sql: `INSERT INTO event_log
              (event_id, stream_type, stream_id, stream_version, event_type, payload, metadata, tags)
         SELECT e.event_id, ${type}, ${id}, e.stream_version, e.event_type, e.payload, e.metadata,
                ARRAY(SELECT jsonb_array_elements_text(e.tags))
           FROM ${guard}, jsonb_to_recordset(${rows}::jsonb)
             AS e(event_id uuid, stream_version int, event_type text, payload jsonb, metadata jsonb, tags jsonb)
          ORDER BY e.stream_version`,
      params: [stream.type, stream.id, JSON.stringify(eventRows(expectedVersion, events))],
    };
  }

  /**
   * After events were written (by append or by a statement holding an appendPart) on `manager`: counted, and
   * the readers woken once `manager`'s transaction commits (at once if the write was a transaction of its own).
   */
  appended(manager: EntityManager, events: readonly NewEvent[]): void {
    for (const event of events) this.metrics?.eventsAppended.inc({ type: event.type });
    this.appends?.appended(
      manager,
      events.map((event) => event.type),
    );
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
          AND (transaction_id, position) > ($2::xid8, $3::bigint)
            AND (transaction_id, position) <= ($4::xid8, $5::bigint)
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

  /**
   * Events carrying a tag (e.g. `customer:c-1`), in commit order. A scan of
   * the log (no index serves it): for tests and tools.
   */
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
