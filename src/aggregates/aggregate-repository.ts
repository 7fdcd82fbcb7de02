import { EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';
import { ConcurrencyConflictError } from '../event-log/concurrency-conflict.error';
import { EventLogService, isUniqueViolation } from '../event-log/event-log.service';
import { NewEvent } from '../event-log/event-log.types';
import { Aggregate, Versioned } from './aggregate';
import { DomainEvent } from './domain-event';
import { SideRead } from './side-read';

export type { SideRead } from './side-read';
import { CommandMeta } from '../commands/command-meta';
import { commandToRecord, markRecorded } from '../commands/command-record';
import { DomainError, notFound } from '../shared/domain-error';

const TAGGED_KEYS = { customerId: 'customer', orderId: 'order', couponId: 'coupon' } as const;

/** Tags for lookups by business key, taken from the event itself. */
export function tagsOf(payload: Record<string, unknown>): string[] {
  return Object.entries(TAGGED_KEYS)
    .filter(([field]) => typeof payload[field] === 'string')
    .map(([field, prefix]) => `${prefix}:${payload[field] as string}`);
}

/**
 * Loads an aggregate from its state row and saves it: the row (guarded by
 * its version) and the new events in the caller's transaction, so both
 * commit together or not at all.
 */
export abstract class AggregateRepository<A extends Aggregate<S, DomainEvent>, S extends Versioned> {
  protected abstract readonly streamType: string;
  protected abstract readonly table: string;
  /** Property of the state -> column, `id` and `version` included. */
  protected abstract readonly columns: Record<keyof S & string, string>;
  /** bigint columns, read back as numbers. */
  protected abstract readonly amounts: ReadonlyArray<keyof S & string>;
  protected abstract rehydrate(state: S): A;

  constructor(protected readonly eventLog: EventLogService) {}

  streamId(id: string): string {
    return `${this.streamType.toLowerCase()}-${id}`;
  }

  async load(tx: EntityManager, id: string): Promise<A | null> {
    const select = Object.entries(this.columns)
      .map(([property, column]) => `${column} AS "${property}"`)
      .join(', ');
    const [row] = await preparedQuery(tx, `SELECT ${select} FROM ${this.table} WHERE id = $1`, [id]);
    return row ? this.rehydrate(this.parse(row)) : null;
  }

  /** Loads or answers NOT_FOUND. */
  async get(tx: EntityManager, id: string): Promise<A> {
    const aggregate = await this.load(tx, id);
    if (!aggregate) throw notFound(this.streamType.toLowerCase(), id);
    return aggregate;
  }

  /**
   * The aggregate and what `side` reads beside it, in one statement. The
   * sub-select's columns must not be named like the aggregate's properties.
   */
  async getWith<T>(tx: EntityManager, id: string, side: SideRead<T>): Promise<[A, T]> {
    const params: unknown[] = [id];
    const sub = side.sql((value) => `$${params.push(value)}`);
    const own = Object.entries(this.columns);
    const select = own.map(([property, column]) => `a.${column} AS "${property}"`).join(', ');
    const text = `SELECT ${select}, s.* FROM ${this.table} a
      LEFT JOIN LATERAL (SELECT true AS side_row, x.* FROM (${sub}) x) s ON true WHERE a.id = $1`;
    const [row] = await preparedQuery(tx, text, params, { before: side.before });
    if (!row) throw notFound(this.streamType.toLowerCase(), id);
    const state = Object.fromEntries(own.map(([property]) => [property, row[property]]));
    const { side_row: found, ...rest } = Object.fromEntries(
      Object.entries(row).filter(([key]) => !(key in this.columns)),
    );
    return [this.rehydrate(this.parse(state)), side.parse(found ? rest : undefined)];
  }

  /** Load, call one aggregate method, save: the whole of most command handlers. */
  async change(tx: EntityManager, id: string, meta: CommandMeta, decide: (aggregate: A) => void): Promise<S> {
    const aggregate = await this.get(tx, id);
    decide(aggregate);
    await this.save(tx, aggregate, meta);
    return aggregate.snapshot();
  }

  /**
   * One statement: the row (UPDATE guarded by its version, or INSERT of a
   * new one), the events, and the saga command's id when the runner expects
   * one (see commandToRecord): one round trip, and in a command that opened
   * no transaction, one transaction of its own (a transaction a lock's batch
   * opened, see beginIfNone, is committed in the same round trip). The row is the first write
   * and fixes the transaction id the log is ordered by (see CommandRunner.run);
   * the events and the record are written only if the row was. A stale
   * version, or a create whose id exists, is a ConcurrencyConflictError.
   */
  async save(tx: EntityManager, aggregate: A, meta: CommandMeta = {}): Promise<void> {
    if (!(await this.write(tx, aggregate, meta))) {
      throw new ConcurrencyConflictError(this.streamId(aggregate.id), aggregate.loadedVersion);
    }
  }

  /**
   * A create that tries the INSERT first, so a new id pays for no look-up:
   * only when the id is taken, or when `decide` refuses (a repeated create
   * may no longer pass the rule it passed the first time: its own order now
   * counts in the exposure), is the existing aggregate read, and a repeat of
   * the same request answers as the first time.
   */
  async create(
    tx: EntityManager,
    id: string,
    meta: CommandMeta,
    request: Record<string, unknown>,
    decide: () => A | Promise<A>,
  ): Promise<S> {
    let aggregate: A;
    try {
      aggregate = await decide();
    } catch (error) {
      const existing = error instanceof DomainError ? await this.load(tx, id) : null;
      if (!existing) throw error;
      return (await this.assertCreatedWith(tx, existing, request)).snapshot();
    }
    if (await this.write(tx, aggregate, meta)) return aggregate.snapshot();
    const existing = await this.load(tx, id);
    if (!existing) throw new ConcurrencyConflictError(this.streamId(id), 0);
    return (await this.assertCreatedWith(tx, existing, request)).snapshot();
  }

  /** False when nothing was written: a stale version, or an INSERT whose id exists. */
  private async write(tx: EntityManager, aggregate: A, meta: CommandMeta): Promise<boolean> {
    const events = aggregate.getUncommittedEvents();
    if (events.length === 0) return true;
    const state = aggregate.snapshot();
    const entries = Object.entries(this.columns) as [keyof S & string, string][];
    const params: unknown[] = entries.map(([property]) => state[property]);
    const param = (value: unknown) => `$${params.push(value)}`;
    const row = aggregate.isNew
      ? `INSERT INTO ${this.table} (${entries.map(([, c]) => c).join(', ')})
         VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (id) DO NOTHING RETURNING 1`
      : `UPDATE ${this.table}
            SET ${entries.map(([, column], i) => `${column} = $${i + 1}`).join(', ')}, updated_at = now()
          WHERE id = ${param(aggregate.id)} AND version = ${param(aggregate.loadedVersion)} RETURNING 1`;
    const stream = { type: this.streamType, id: this.streamId(aggregate.id) };
    const newEvents = events.map((event) => this.toNewEvent(event, meta));
    const append = this.eventLog.appendPart(stream, aggregate.loadedVersion, newEvents, params.length + 1, 'written');
    params.push(...append.params);
    const commandId = commandToRecord(tx);
    const record = commandId
      ? `, recorded AS (INSERT INTO executed_commands (command_id) SELECT ${param(commandId)}::text FROM written)`
      : '';
    let written: number;
    try {
      [{ written }] = await preparedQuery<{ written: number }>(
        tx,
        `WITH written AS (${row}), appended AS (${append.sql})${record}
         SELECT (SELECT count(*) FROM written)::int AS written`,
        params,
        { commit: true },
      );
    } catch (error) {
      // The (stream_id, stream_version) key: a writer of this stream got there first.
      if (isUniqueViolation(error, 'event_log_stream_version_key')) return false;
      throw error;
    }
    if (written === 0) return false;
    if (commandId) markRecorded(tx);
    this.eventLog.appended(tx, newEvents);
    aggregate.uncommit();
    return true;
  }

  /**
   * A create with an id that exists: the same request again is a safe retry
   * and answers as the first time; a different one is an ID_CONFLICT.
   */
  async assertCreatedWith(tx: EntityManager, existing: A, request: Record<string, unknown>): Promise<A> {
    const [first] = await this.eventLog.readStream(this.streamId(existing.id), tx);
    const same = first && Object.entries(request).every(([key, value]) => first.payload[key] === value);
    if (!same) {
      throw new DomainError('ID_CONFLICT', `${this.streamType} ${existing.id} already exists with different data`);
    }
    return existing;
  }

  /** Stores the event's own `type` (never its class or constructor name) and its payload, `undefined` dropped. */
  private toNewEvent(event: DomainEvent, meta: CommandMeta): NewEvent {
    const payload = Object.fromEntries(Object.entries(event.payload).filter(([, value]) => value !== undefined));
    return {
      type: event.type,
      payload,
      tags: tagsOf(payload),
      metadata: { commandId: meta.commandId, correlationId: meta.correlationId, causationId: meta.causationId },
    };
  }

  /** bigint columns arrive as strings; every amount fits a JS number (<= 10^12). */
  private parse(row: Record<string, unknown>): S {
    const state = { ...row };
    for (const property of this.amounts) {
      if (state[property] !== null) state[property] = Number(state[property]);
    }
    return state as unknown as S;
  }
}
