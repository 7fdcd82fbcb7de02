import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { EventLogService } from '../event-log/event-log.service';
import { BackstopMetrics } from '../telemetry/backstop-metrics';
import { CommandAlreadyExecuted } from '../commands/command-runner';
import { DomainError } from '../shared/domain-error';
import { CommandRegistry } from '../commands/command-registry';
import { compensationRejected, rejectionStream } from './compensation-rejected.event';
import { backoffMs, DEFAULT_OUTBOX_LEASE_MS, OutboxLoop } from '../outbox/outbox-loop';
import { SagaRegistry } from './saga-registry';

interface OutboxRow {
  command_id: string;
  saga: string;
  saga_key: string;
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
 * open, say) is final: recorded as `rejected`, and told to the saga that
 * issued it by a CompensationRejected event, so that it stops waiting for
 * the command's effect and may compensate otherwise.
 */
@Injectable()
export class CommandDispatcher extends OutboxLoop<OutboxRow> {
  protected readonly logger = new Logger('CommandDispatcher');

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly commandBus: CommandBus,
    private readonly registry: CommandRegistry,
    private readonly metrics: BackstopMetrics,
    private readonly eventLog: EventLogService,
    private readonly sagas: SagaRegistry,
    @Inject(BACKSTOP_OPTIONS) options: BackstopOptions,
  ) {
    const lease = options.runtime?.outboxLeaseMs ?? DEFAULT_OUTBOX_LEASE_MS;
    super(
      dataSource,
      'command_outbox',
      'command_id',
      'command_id, saga, saga_key, command_type, payload, metadata, attempts',
      lease,
    );
  }

  protected async handle(row: OutboxRow): Promise<void> {
    try {
      const meta = {
        commandId: row.command_id,
        correlationId: row.metadata.correlationId,
        causationId: row.metadata.causationId,
      };
      await this.commandBus.execute(this.registry.create(row.command_type, row.payload, meta));
      await this.finish(row);
    } catch (error) {
      if (error instanceof CommandAlreadyExecuted) return this.finish(row);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (error instanceof DomainError) {
        this.logger.warn(`${row.command_type} ${row.command_id} rejected: ${message}`);
        return this.reject(row, error, message);
      }
      const delayMs = backoffMs(row.attempts + 1, 100);
      this.logger.warn(
        `${row.command_type} ${row.command_id} failed (attempt ${row.attempts}), retrying in ${delayMs} ms: ${message}`,
      );
      this.metrics.compensations.inc({ kind: row.command_type, result: 'retry' });
      await this.retryLater(row.command_id, message, delayMs);
    }
  }

  private async finish(row: OutboxRow): Promise<void> {
    this.metrics.compensations.inc({ kind: row.command_type, result: 'done' });
    await this.complete(row.command_id, `status = 'done', done_at = now()`)
      .then((recorded) => {
        // The command's own id already made a second execution harmless; its row is the claimant's to finish.
        if (!recorded)
          this.logger.warn(`${row.command_id} was claimed by another worker meanwhile; not marked done here`);
      })
      .catch((failure) => this.logger.warn(`cannot mark ${row.command_id} done: ${String(failure)}`));
  }

  /**
   * The row turns `rejected` and the event is appended in one transaction:
   * the saga learns of every refusal exactly once. When that transaction
   * fails, the row stays leased, and the command is tried (and refused)
   * again once the lease runs out. Only a row still pending is marked, so a
   * second worker whose lease had expired appends nothing.
   */
  private async reject(row: OutboxRow, error: DomainError, message: string): Promise<void> {
    const rejected = {
      saga: row.saga,
      key: row.saga_key,
      keyField: this.sagas.get(row.saga)?.keyField,
      commandId: row.command_id,
      commandType: row.command_type,
      command: row.payload,
      code: error.code,
      reason: error.message,
    };
    try {
      // Fenced on the claim like complete(): a worker whose claim another one took meanwhile has no say.
      const token = this.tokenOf(row.command_id);
      if (token === undefined) return;
      const marked = await this.dataSource.transaction(async (tx) => {
        const [, updated] = await tx.query(
          `UPDATE command_outbox SET status = 'rejected', last_error = $2, done_at = now(), locked_until = NULL
            WHERE command_id = $1 AND status = 'pending' AND attempts = $3`,
          [row.command_id, message.slice(0, 4000), token],
        );
        if (updated === 0) return false;
        await this.eventLog.append(tx, rejectionStream(row.command_id), 0, [
          compensationRejected(rejected, row.metadata),
        ]);
        return true;
      });
      if (marked) this.metrics.compensations.inc({ kind: row.command_type, result: 'rejected' });
    } catch (failure) {
      this.logger.warn(`cannot mark ${row.command_id} rejected: ${String(failure)}`);
    }
  }
}
