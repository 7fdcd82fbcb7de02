import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKSTOP_OPTIONS } from '../backstop.options';
import type { BackstopOptions } from '../backstop.options';
import { BackstopMetrics } from '../metrics/backstop-metrics';
import { CommandAlreadyExecuted } from '../shared/command-runner';
import { DomainError } from '../shared/domain-error';
import { CommandRegistry } from './command-registry';
import { backoffMs, DEFAULT_OUTBOX_LEASE_MS, OutboxLoop } from './outbox-loop';

interface OutboxRow {
  command_id: string;
  command_type: string;
  payload: Record<string, unknown>;
  metadata: { correlationId?: string; causationId?: string };
  attempts: number;
}

/**
 * Executes the commands sagas put in the outbox, through the CommandBus,
 * with their deterministic ids: a repeat after a crash is recognised by the
 * command's own transaction and has no second effect. Failures are retried
 * with exponential backoff; a refusal by the domain (the order is no longer
 * open, say) is final and recorded as `rejected`.
 */
@Injectable()
export class CommandDispatcher extends OutboxLoop<OutboxRow> {
  protected readonly logger = new Logger('CommandDispatcher');

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly commandBus: CommandBus,
    private readonly registry: CommandRegistry,
    private readonly metrics: BackstopMetrics,
    @Inject(BACKSTOP_OPTIONS) options: BackstopOptions,
  ) {
    const lease = options.runtime?.outboxLeaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
    super(dataSource, 'command_outbox', 'command_id', 'command_id, command_type, payload, metadata, attempts', lease);
  }

  protected async handle(row: OutboxRow): Promise<void> {
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
      const delayMs = backoffMs(row.attempts + 1, 100);
      this.logger.warn(`${row.command_type} ${row.command_id} failed (attempt ${row.attempts}), retrying in ${delayMs} ms: ${message}`);
      this.metrics.compensations.inc({ kind: row.command_type, result: 'retry' });
      await this.retryLater(row.command_id, message, delayMs);
    }
  }

  private async finish(row: OutboxRow, status: 'done' | 'rejected', error: string | null): Promise<void> {
    this.metrics.compensations.inc({ kind: row.command_type, result: status });
    await this.complete(row.command_id, `status = $3, last_error = coalesce($4, last_error), done_at = now()`, [status, error])
      .then((recorded) => {
        // The command's own id already made a second execution harmless; its row is the claimant's to finish.
        if (!recorded) this.logger.warn(`${row.command_id} was claimed by another worker meanwhile; not marked ${status} here`);
      })
      .catch((failure) => this.logger.warn(`cannot mark ${row.command_id} ${status}: ${String(failure)}`));
  }
}
