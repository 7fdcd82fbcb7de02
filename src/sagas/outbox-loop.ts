import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WakeSignal } from './wake-signal';

const POLL_MS = 500;
export const DEFAULT_OUTBOX_LEASE_MS = 30_000;

/** The row in hand: its fencing token and when, by this process's clock, its lease may run out. */
interface Held {
  id: string;
  token: number;
  expiresAt: number;
}

/**
 * The shared engine of the command and mail outboxes: lease one due row at a
 * time (SKIP LOCKED, so instances never take the same row), hand it to
 * `handle`, and sleep until woken or the poll interval passes. A row whose
 * worker died is leased again once its lease has run out.
 *
 * One row at a time because a lease only protects work that starts inside
 * it: rows claimed as a batch would wait behind a slow one until their
 * leases ran out, and another instance would take and handle them too.
 * Every claim bumps `attempts`, which is the lease's fencing token: what a
 * worker records about a row only counts while nobody has claimed it since.
 */
export abstract class OutboxLoop<Row> {
  protected abstract readonly logger: Logger;
  private readonly signal = new WakeSignal();
  private running = false;
  private loop?: Promise<void>;
  private held?: Held;

  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly table: 'command_outbox' | 'mail_outbox',
    private readonly idColumn: 'command_id' | 'message_id',
    private readonly columns: string,
    private readonly leaseMs: number,
  ) {}

  protected abstract handle(row: Row): Promise<void>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.signal.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const row = await this.claim().catch((error) => {
        this.logger.warn(`cannot read ${this.table}: ${String(error)}`);
        return undefined;
      });
      if (!row) {
        await this.signal.wait(POLL_MS);
        continue;
      }
      try {
        await this.handle(row);
      } finally {
        this.held = undefined;
      }
    }
  }

  private async claim(): Promise<Row | undefined> {
    const { table, idColumn } = this;
    // Taken before the query is sent: the server's now() is later, so the lease runs out no sooner than this plus leaseMs.
    const claimedAt = Date.now();
    const [rows] = await this.dataSource.query(
      `UPDATE ${table} SET locked_until = now() + $1 * interval '1 millisecond', attempts = attempts + 1
        WHERE ${idColumn} IN (
          SELECT ${idColumn} FROM ${table}
           WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${this.columns}, ${idColumn} AS lease_id, attempts AS lease_token`,
      [this.leaseMs],
    );
    const row = (rows as (Row & { lease_id: string; lease_token: number })[])[0];
    if (!row) return undefined;
    this.held = { id: row.lease_id, token: row.lease_token, expiresAt: claimedAt + this.leaseMs };
    return row;
  }

  /** Milliseconds left on the lease of the row in hand (0 when it may have run out): work must end before that. */
  protected leaseLeftMs(): number {
    return this.held ? Math.max(0, this.held.expiresAt - Date.now()) : 0;
  }

  /**
   * Records the outcome of the row in hand (`assignments` are SET clauses,
   * their parameters from $3 on) and releases it. Fenced on the claim's
   * token, not on the clock: if another instance claimed the row since,
   * nothing is written and false comes back; if the lease ran out but nobody
   * took the row, the outcome is still this worker's to record, and
   * recording it spares a repeat.
   */
  protected async complete(id: string, assignments: string, params: unknown[] = []): Promise<boolean> {
    const token = this.tokenOf(id);
    if (token === undefined) return false;
    const [, affected] = await this.dataSource.query(
      `UPDATE ${this.table} SET ${assignments}, locked_until = NULL
        WHERE ${this.idColumn} = $1 AND attempts = $2 AND status = 'pending'`,
      [id, token, ...params],
    );
    return affected === 1;
  }

  /** Leaves the row pending, to be tried again after `delayMs`, with the error on record (fenced like `complete`). */
  protected async retryLater(id: string, error: string, delayMs: number): Promise<void> {
    await this.complete(id, `last_error = $3, next_attempt_at = now() + $4 * interval '1 millisecond'`, [error.slice(0, 4000), delayMs])
      .then((recorded) => {
        if (!recorded) this.logger.warn(`${id} was claimed by another worker meanwhile; its retry is that worker's to schedule`);
      })
      .catch((failure) => this.logger.warn(`cannot reschedule ${id}: ${String(failure)}`));
  }

  private tokenOf(id: string): number | undefined {
    return this.held?.id === id ? this.held.token : undefined;
  }
}

/** Exponential backoff from `baseMs`, capped at one minute. */
export const backoffMs = (attempts: number, baseMs: number) => Math.min(60_000, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 10));
