import { Inject, Injectable, Logger } from '@nestjs/common';
import { BACKSTOP_OPTIONS } from '../backstop.options';
import type { BackstopOptions } from '../backstop.options';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommandAlreadyExecuted } from '../shared/command-runner';
import { DomainError } from '../shared/domain-error';
import { CommandRegistry } from './command-registry';
import { WakeSignal } from './wake-signal';

const POLL_MS = 500;
export const DEFAULT_OUTBOX_LEASE_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;

interface OutboxRow {
  command_id: string;
  command_type: string;
  payload: Record<string, unknown>;
  metadata: { correlationId?: string; causationId?: string };
  attempts: number;
}

/**
 * Executes the commands sagas put in the outbox. A row is leased before it
 * runs, so a crashed dispatcher's rows are picked up again when the lease
 * ends; the command's deterministic id makes that repeat a no-op. Failures
 * are retried with exponential backoff; a refusal by the domain (the order
 * is no longer open, say) is final and recorded as `rejected`.
 */
@Injectable()
export class CommandDispatcher {
  private readonly logger = new Logger('CommandDispatcher');
  private readonly signal = new WakeSignal();
  private loop?: Promise<void>;
  private running = false;

  private readonly leaseMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly commandBus: CommandBus,
    private readonly registry: CommandRegistry,
    @Inject(BACKSTOP_OPTIONS) options: BackstopOptions,
  ) {
    this.leaseMs = options.runtime?.outboxLeaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
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
        this.logger.warn(`cannot read the command outbox: ${String(error)}`);
        return [] as OutboxRow[];
      });
      for (const row of claimed) await this.execute(row);
      if (claimed.length === 0) await this.signal.wait(POLL_MS);
    }
  }

  private async claim(): Promise<OutboxRow[]> {
    const [rows] = await this.dataSource.query(
      `UPDATE command_outbox SET locked_until = now() + $1 * interval '1 millisecond', attempts = attempts + 1
        WHERE command_id IN (
          SELECT command_id FROM command_outbox
           WHERE status = 'pending' AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
           ORDER BY created_at LIMIT 20 FOR UPDATE SKIP LOCKED)
        RETURNING command_id, command_type, payload, metadata, attempts, created_at`,
      [this.leaseMs],
    );
    return (rows as (OutboxRow & { created_at: Date })[]).sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  }

  private async execute(row: OutboxRow): Promise<void> {
    try {
      const meta = { commandId: row.command_id, correlationId: row.metadata.correlationId, causationId: row.metadata.causationId };
      await this.commandBus.execute(this.registry.create(row.command_type, row.payload, meta));
      await this.finish(row, 'done', null);
    } catch (error) {
      if (error instanceof CommandAlreadyExecuted) return this.finish(row, 'done', null);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (error instanceof DomainError) {
        this.logger.warn(`${row.command_type} ${row.command_id} rejected: ${message}`);
        return this.finish(row, 'rejected', message);
      }
      const delayMs = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(row.attempts, 10));
      this.logger.warn(`${row.command_type} ${row.command_id} failed (attempt ${row.attempts}), retrying in ${delayMs} ms: ${message}`);
      await this.dataSource
        .query(
          `UPDATE command_outbox SET last_error = $2, locked_until = NULL, next_attempt_at = now() + $3 * interval '1 millisecond'
            WHERE command_id = $1`,
          [row.command_id, message.slice(0, 4000), delayMs],
        )
        .catch(() => undefined);
    }
  }

  private async finish(row: OutboxRow, status: 'done' | 'rejected', error: string | null): Promise<void> {
    await this.dataSource
      .query(`UPDATE command_outbox SET status = $2, last_error = coalesce($3, last_error), done_at = now(), locked_until = NULL WHERE command_id = $1`, [
        row.command_id,
        status,
        error,
      ])
      .catch((failure) => this.logger.warn(`cannot mark ${row.command_id} ${status}: ${String(failure)}`));
  }
}
