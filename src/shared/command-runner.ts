import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { backOff } from 'exponential-backoff';
import { DataSource, EntityManager } from 'typeorm';
import { ConcurrencyConflictError } from '../event-log/concurrency-conflict.error';
import { CommandMeta } from './command-meta';

/** A command with this id already ran: running it again must have no effect. */
export class CommandAlreadyExecuted extends Error {
  constructor(readonly commandId: string) {
    super(`command ${commandId} was already executed`);
    this.name = 'CommandAlreadyExecuted';
  }
}

/** Attempts per command before a conflict is answered with 409. */
export const COMMAND_ATTEMPTS = 8;

/**
 * One command is one transaction. When the aggregate moved on meanwhile
 * (a version conflict), the whole command runs again: reload, re-check,
 * re-append, after a short jittered pause so that racing writers spread out.
 */
@Injectable()
export class CommandRunner {
  private readonly logger = new Logger(CommandRunner.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * With `meta.commandId` (commands issued by sagas) the id is recorded in the
   * command's own transaction; a second run with the same id throws
   * CommandAlreadyExecuted instead of acting twice.
   */
  run<T>(work: (tx: EntityManager) => Promise<T>, meta: CommandMeta = {}): Promise<T> {
    const once = async (tx: EntityManager) => {
      if (meta.commandId) {
        const recorded = await tx.query(
          `INSERT INTO executed_commands (command_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING command_id`,
          [meta.commandId],
        );
        if (recorded.length === 0) throw new CommandAlreadyExecuted(meta.commandId);
      }
      return work(tx);
    };
    return backOff(() => this.dataSource.transaction(once), {
      numOfAttempts: COMMAND_ATTEMPTS,
      startingDelay: 2,
      timeMultiple: 2,
      maxDelay: 100,
      jitter: 'full',
      retry: (error: unknown, attempt: number) => {
        if (!(error instanceof ConcurrencyConflictError)) return false;
        this.logger.debug(`conflict on ${error.streamId} (attempt ${attempt}), retrying`);
        return true;
      },
    });
  }
}
