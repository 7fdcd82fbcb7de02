import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { backOff } from 'exponential-backoff';
import { DataSource, EntityManager } from 'typeorm';
import { ConcurrencyConflictError } from '../event-log/concurrency-conflict.error';

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

  run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return backOff(() => this.dataSource.transaction(work), {
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
