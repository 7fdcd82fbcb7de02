import { EntityManager } from 'typeorm';
import { ConcurrencyConflictError } from '../event-log/concurrency-conflict.error';
import { EventLogService, isUniqueViolation } from '../event-log/event-log.service';
import { NewEvent } from '../event-log/event-log.types';
import { Aggregate, Versioned } from './aggregate';
import { DomainEvent } from './domain-event';
import { CommandMeta } from '../commands/command-meta';
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
    const [row] = await tx.query(`SELECT ${select} FROM ${this.table} WHERE id = $1`, [id]);
    return row ? this.rehydrate(this.parse(row)) : null;
  }

  /** Loads or answers NOT_FOUND. */
  async get(tx: EntityManager, id: string): Promise<A> {
    const aggregate = await this.load(tx, id);
    if (!aggregate) throw notFound(this.streamType.toLowerCase(), id);
    return aggregate;
  }

  /** Load, call one aggregate method, save: the whole of most command handlers. */
  async change(tx: EntityManager, id: string, meta: CommandMeta, decide: (aggregate: A) => void): Promise<S> {
    const aggregate = await this.get(tx, id);
    decide(aggregate);
    await this.save(tx, aggregate, meta);
    return aggregate.snapshot();
  }

  /**
   * The row comes first, then the events: in a command's transaction this is
   * the first write, which fixes the transaction id the log is ordered by
   * (see CommandRunner.run), and the version guard it carries makes a
   * concurrent writer of the same stream wait or conflict.
   */
  async save(tx: EntityManager, aggregate: A, meta: CommandMeta = {}): Promise<void> {
    const events = aggregate.getUncommittedEvents();
    if (events.length === 0) return;
    const state = aggregate.snapshot();
    const entries = Object.entries(this.columns) as [keyof S & string, string][];
    const values = entries.map(([property]) => state[property]);
    try {
      if (aggregate.isNew) {
        await tx.query(
          `INSERT INTO ${this.table} (${entries.map(([, c]) => c).join(', ')})
           VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')})`,
          values,
        );
      } else {
        const set = entries.map(([, column], i) => `${column} = $${i + 1}`).join(', ');
        const [, updated] = await tx.query(
          `UPDATE ${this.table} SET ${set}, updated_at = now()
            WHERE id = $${entries.length + 1} AND version = $${entries.length + 2}`,
          [...values, aggregate.id, aggregate.loadedVersion],
        );
        if (updated === 0) throw new ConcurrencyConflictError(this.streamId(aggregate.id), aggregate.loadedVersion);
      }
    } catch (error) {
      // Two creates of one id at once: the loser retries and meets the winner.
      if (isUniqueViolation(error, `${this.table}_pkey`)) {
        throw new ConcurrencyConflictError(this.streamId(aggregate.id), 0);
      }
      throw error;
    }
    await this.eventLog.append(
      tx,
      { type: this.streamType, id: this.streamId(aggregate.id) },
      aggregate.loadedVersion,
      events.map((event) => this.toNewEvent(event, meta)),
    );
    aggregate.uncommit();
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
