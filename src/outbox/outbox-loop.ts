import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WakeSignal } from './wake-signal';

const POLL_MS = 500;
const BATCH = 20;
export const DEFAULT_OUTBOX_LEASE_MS = 30_000;

/** A claimed row: its fencing token and when, by this process's clock, its lease may run out. */
interface Held {
  token: number;
  expiresAt: number;
}

type Claimed<Row> = Row & { lease_id: string; lease_token: number; created_at: Date };

/**
 * The shared engine of the command and mail outboxes: lease a batch of due
 * rows (SKIP LOCKED, so instances never take the same row), hand each to
 * `handle`, and sleep until woken or the poll interval passes. A row whose
 * worker died is leased again once its lease has run out.
 *
 * The rows of a batch wait their turn here, so before each one is handled,
 * when less than `handleBudgetMs()` is left on the batch's leases, they are
 * all extended: as long as each handle keeps within its budget, no lease
 * runs out while its row waits, and no other instance takes it meanwhile.
 * Every claim bumps `attempts`, which is the lease's fencing token: what a
 * worker records about a row (or extends) only counts while nobody has
 * claimed it since; a row whose extension fails is dropped, not handled.
 */
export abstract class OutboxLoop<Row> {
  protected abstract readonly logger: Logger;
  private readonly signal = new WakeSignal();
  private running = false;
  private loop?: Promise<void>;
  private readonly held = new Map<string, Held>();
  private current?: string;

  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly table: 'command_outbox' | 'mail_outbox',
    private readonly idColumn: 'command_id' | 'message_id',
    private readonly columns: string,
    private readonly leaseMs: number,
  ) {}

  protected abstract handle(row: Row): Promise<void>;

  /** The longest one `handle` is expected to take; it must be below the lease. */
  protected handleBudgetMs(): number {
    return this.leaseMs / 2;
  }

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
      const claimed = await this.claim().catch((error) => {
        this.logger.warn(`cannot read ${this.table}: ${String(error)}`);
        return [] as Claimed<Row>[];
      });
      for (const row of claimed) {
        if (this.held.has(row.lease_id) && this.leaseLeftMs(row.lease_id) <= this.handleBudgetMs()) await this.extend();
        if (!this.held.has(row.lease_id)) continue;
        this.current = row.lease_id;
        try {
          await this.handle(row);
        } finally {
          this.held.delete(row.lease_id);
          this.current = undefined;
        }
      }
      this.held.clear();
      if (claimed.length === 0) await this.signal.wait(POLL_MS);
    }
  }

  private async claim(): Promise<Claimed<Row>[]> {
    const { table, idColumn } = this;
    // Taken before the query is sent: the server's now() is later, so the lease runs out no sooner than this plus
    // leaseMs.
    const claimedAt = Date.now();
    const [rows] = await this.dataSource.query(
      `UPDATE ${table} SET locked_until = now() + $1 * interval '1 millisecond', attempts = attempts + 1
        WHERE ${idColumn} IN (
          SELECT ${idColumn} FROM ${table}
           WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING ${this.columns}, ${idColumn} AS lease_id, attempts AS lease_token, created_at`,
      [this.leaseMs],
    );
    const claimed = (rows as Claimed<Row>[]).sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    for (const row of claimed)
      this.held.set(row.lease_id, { token: row.lease_token, expiresAt: claimedAt + this.leaseMs });
    return claimed;
  }

  /** Renews the lease of every row still waiting here; the ones another worker claimed since are dropped. */
  private async extend(): Promise<void> {
    const ids = [...this.held.keys()];
    const startedAt = Date.now();
    try {
      const [rows] = await this.dataSource.query(
        `UPDATE ${this.table} SET locked_until = now() + $3 * interval '1 millisecond'
          WHERE (${this.idColumn}, attempts) IN (SELECT * FROM unnest($1::text[], $2::int[])) AND status = 'pending'
          RETURNING ${this.idColumn} AS id`,
        [ids, ids.map((id) => this.held.get(id)!.token), this.leaseMs],
      );
      const kept = new Set((rows as { id: string }[]).map((row) => row.id));
      for (const id of ids) {
        if (kept.has(id)) this.held.get(id)!.expiresAt = startedAt + this.leaseMs;
        else this.held.delete(id);
      }
    } catch (error) {
      // Handling goes on with what is left of the leases; the mail worker will not start a send it cannot finish in
      // time.
      this.logger.warn(`cannot extend leases in ${this.table}: ${String(error)}`);
    }
  }

  /** Milliseconds left on the lease of the row (by default the one in hand), 0 when it may have run out. */
  protected leaseLeftMs(id = this.current): number {
    const held = id === undefined ? undefined : this.held.get(id);
    return held ? Math.max(0, held.expiresAt - Date.now()) : 0;
  }

  /** The fencing token of this instance's claim on `id`, while it holds one. */
  protected tokenOf(id: string): number | undefined {
    return this.held.get(id)?.token;
  }

  /**
   * Records the outcome of a row in hand (`assignments` are SET clauses,
   * their parameters from $3 on) and releases it. Fenced on the claim's
   * token, not on the clock: if another instance claimed the row since,
   * nothing is written and false comes back; if the lease ran out but nobody
   * took the row, the outcome is still this worker's to record, and
   * recording it spares a repeat.
   */
  protected async complete(id: string, assignments: string, params: unknown[] = []): Promise<boolean> {
    const held = this.held.get(id);
    if (!held) return false;
    const [, affected] = await this.dataSource.query(
      `UPDATE ${this.table} SET ${assignments}, locked_until = NULL
        WHERE ${this.idColumn} = $1 AND attempts = $2 AND status = 'pending'`,
      [id, held.token, ...params],
    );
    return affected === 1;
  }

  /** Leaves the row pending, to be tried again after `delayMs`, with the error on record (fenced like `complete`). */
  protected async retryLater(id: string, error: string, delayMs: number): Promise<void> {
    await this.complete(id, `last_error = $3, next_attempt_at = now() + $4 * interval '1 millisecond'`, [
      error.slice(0, 4000),
      delayMs,
    ])
      .then((recorded) => {
        if (!recorded)
          this.logger.warn(`${id} was claimed by another worker meanwhile; its retry is that worker's to schedule`);
      })
      .catch((failure) => this.logger.warn(`cannot reschedule ${id}: ${String(failure)}`));
  }
}

/** Exponential backoff from `baseMs`, capped at one minute. */
export const backoffMs = (attempts: number, baseMs: number) =>
  Math.min(60_000, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 10));
