import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WakeSignal } from './wake-signal';

const POLL_MS = 500;
export const DEFAULT_OUTBOX_LEASE_MS = 30_000;

/**
 * The shared engine of the command and mail outboxes: lease due rows
 * (SKIP LOCKED, so instances never take the same row), hand each to
 * `handle`, and sleep until woken or the poll interval passes. A row whose
 * worker died is leased again once its lease has run out.
 */
export abstract class OutboxLoop<Row> {
  protected abstract readonly logger: Logger;
  private readonly signal = new WakeSignal();
  private running = false;
  private loop?: Promise<void>;

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
      const claimed = await this.claim().catch((error) => {
        this.logger.warn(`cannot read ${this.table}: ${String(error)}`);
        return [] as Row[];
      });
      for (const row of claimed) await this.handle(row);
      if (claimed.length === 0) await this.signal.wait(POLL_MS);
    }
  }

  private async claim(): Promise<Row[]> {
    const { table, idColumn } = this;
    const [rows] = await this.dataSource.query(
      `UPDATE ${table} SET locked_until = now() + $1 * interval '1 millisecond', attempts = attempts + 1
        WHERE ${idColumn} IN (
          SELECT ${idColumn} FROM ${table}
           WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY created_at LIMIT 20 FOR UPDATE SKIP LOCKED)
        RETURNING ${this.columns}, created_at`,
      [this.leaseMs],
    );
    return (rows as (Row & { created_at: Date })[]).sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  }

  /** Leaves the row pending, to be tried again after `delayMs`, with the error on record. */
  protected async retryLater(id: string, error: string, delayMs: number): Promise<void> {
    await this.dataSource
      .query(
        `UPDATE ${this.table} SET last_error = $2, locked_until = NULL, next_attempt_at = now() + $3 * interval '1 millisecond'
          WHERE ${this.idColumn} = $1`,
        [id, error.slice(0, 4000), delayMs],
      )
      .catch((failure) => this.logger.warn(`cannot reschedule ${id}: ${String(failure)}`));
  }
}

/** Exponential backoff from `baseMs`, capped at one minute. */
export const backoffMs = (attempts: number, baseMs: number) => Math.min(60_000, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 10));
