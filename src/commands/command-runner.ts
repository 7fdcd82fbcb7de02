import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { backOff } from 'exponential-backoff';
import { DataSource, EntityManager } from 'typeorm';
import { ConcurrencyConflictError } from '../event-log/concurrency-conflict.error';
import { isUniqueViolation } from '../event-log/event-log.service';
import { BackstopMetrics, CommandResult } from '../telemetry/backstop-metrics';
import { endOpened } from '../database/prepared-query';
import { CommandMeta } from './command-meta';
import { commandToRecord, expectRecord } from './command-record';
import { DomainError } from '../shared/domain-error';

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
 * The attempts after a first one that conflicted, each after a pause: 2 ms, 4, 8, ... up to 100,
 * fully jittered. The first attempt runs outside backOff, whose machinery cost a visible share of
 * the CPU of every command though nearly all of them succeed at once.
 */
const RETRIES = {
  numOfAttempts: COMMAND_ATTEMPTS - 1,
  delayFirstAttempt: true,
  startingDelay: 2,
  timeMultiple: 2,
  maxDelay: 100,
  jitter: 'full',
  retry: (error: unknown) => error instanceof ConcurrencyConflictError,
} as const;

/**
 * A command class declares its stable name for logs and metrics as `static readonly type = 'CancelOrder'`:
 * a label that survives renaming or minifying the class (constructor.name does not).
 */
export interface NamedCommandClass {
  readonly type: string;
}

export function commandNameOf(command: object): string {
  const { type } = command.constructor as Partial<NamedCommandClass>;
  if (typeof type !== 'string' || type === '') {
    throw new Error(`command class ${command.constructor.name} declares no \`static readonly type\``);
  }
  return type;
}

async function wasExecuted(tx: EntityManager, commandId: string): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 FROM executed_commands WHERE command_id = $1`, [commandId]);
  return rows.length > 0;
}

function resultOf(error: unknown): CommandResult {
  if (error instanceof DomainError) return 'rejected';
  if (error instanceof ConcurrencyConflictError) return 'conflict';
  return error instanceof CommandAlreadyExecuted ? 'ok' : 'error';
}

/**
 * One command is one transaction. When the aggregate moved on meanwhile
 * (a version conflict), the whole command runs again: reload, re-check,
 * re-append, after a short jittered pause so that racing writers spread out.
 * Every command ends in one log line (with its correlation id) and in the
 * command metrics.
 */
@Injectable()
export class CommandRunner {
  private readonly logger = new Logger('Command');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: BackstopMetrics,
  ) {}

  /**
   * With `meta.commandId` (commands issued by sagas) the id is recorded in the
   * command's own transaction; a second run with the same id throws
   * CommandAlreadyExecuted instead of acting twice.
   *
   * The log orders events by transaction id, and PostgreSQL hands a
   * transaction its id at its first write. So nothing may be written before
   * the aggregate is loaded and its row written under the version guard:
   * an earlier write would take an id older than that of a command that
   * commits the version this one builds on, and v(n+1) would sort after
   * v(n+2). Hence the id is looked up first (a read takes no id: a repeat
   * never runs its work, which may not be repeatable, say an INSERT with a
   * unique key), and recorded only after the work: by the aggregate
   * repository in the statement that writes the row and the events (see
   * commandToRecord), or else here. The writes of a command, in order: the
   * aggregate's row (UPDATE guarded by its version, or the INSERT of a new
   * one, guarded by its key), its events, then executed_commands. A prevent
   * strategy's advisory lock and the last-moment reads write nothing. No
   * command writes an outbox row: those are written by sagas and the
   * dispatcher in transactions of their own.
   */
  run<T>(command: { meta?: CommandMeta }, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.attempts(command, true, (once) => this.dataSource.transaction(once), work);
  }

  /**
   * A command whose work reads and then writes at most one statement (one
   * AggregateRepository save or create): no BEGIN, no COMMIT, so a command
   * is its reads plus one write, which is a transaction of its own. The reads
   * need none under READ COMMITTED, where every statement sees its own
   * snapshot anyway; the write is guarded by the aggregate's version (or
   * key), and takes the transaction id after the reads, so the log order
   * rule of `run` holds. A lock that must outlive a statement (the prevent
   * strategy's) opens a transaction: with its read (lockStatements, one
   * round trip), then committed by the write's own round trip, or here when
   * nothing was written; or by serializeOnKey, committed here.
   * The idempotency look-up is left out: the saga command's id goes into the
   * write itself, where a repeat fails on its key and writes nothing.
   */
  runSingleWrite<T>(command: { meta?: CommandMeta }, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.attempts(command, false, (once) => this.withoutTransaction(once), work);
  }

  private async attempts<T>(
    command: { meta?: CommandMeta },
    lookUpFirst: boolean,
    attempt: (once: (tx: EntityManager) => Promise<T>) => Promise<T>,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    const meta = command.meta ?? {};
    const name = commandNameOf(command);
    const started = performance.now();
    let attempts = 0;
    const { commandId } = meta;
    const once = async (tx: EntityManager) => {
      attempts++;
      if (!commandId) return work(tx);
      if (lookUpFirst && (await wasExecuted(tx, commandId))) throw new CommandAlreadyExecuted(commandId);
      expectRecord(tx, commandId);
      let result: T;
      try {
        result = await work(tx);
      } catch (error) {
        // A run of the same id that committed first has changed the aggregate
        // (an order already on hold), or its record refused this write.
        if (isUniqueViolation(error, 'executed_commands_pkey')) throw new CommandAlreadyExecuted(commandId);
        if (error instanceof DomainError && (await wasExecuted(tx, commandId)))
          throw new CommandAlreadyExecuted(commandId);
        throw error;
      }
      if (commandToRecord(tx)) {
        // A concurrent run of the same id that got here first: its row
        // conflicts, and this whole transaction rolls back.
        const recorded = await tx.query(
          `INSERT INTO executed_commands (command_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING command_id`,
          [commandId],
        );
        if (recorded.length === 0) throw new CommandAlreadyExecuted(commandId);
      }
      return result;
    };
    try {
      const result = await attempt(once).catch((error: unknown) => {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        return backOff(() => attempt(once), RETRIES);
      });
      this.done(name, 'ok', started, attempts, meta);
      return result;
    } catch (error) {
      this.done(name, resultOf(error), started, attempts, meta, error);
      throw error;
    }
  }

  /** One pooled connection for the attempt; a transaction only if the work opened one. */
  private async withoutTransaction<T>(once: (tx: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await once(runner.manager);
      if (runner.isTransactionActive) await runner.commitTransaction();
      await endOpened(runner.manager, 'COMMIT');
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await endOpened(runner.manager, 'ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private done(
    name: string,
    result: CommandResult,
    started: number,
    attempts: number,
    meta: CommandMeta,
    error?: unknown,
  ): void {
    const seconds = (performance.now() - started) / 1000;
    this.metrics.commands.inc({ command: name, result });
    this.metrics.commandDuration.observe({ command: name }, seconds);
    const detail = {
      command: name,
      result,
      durationMs: Math.round(seconds * 10_000) / 10,
      attempts,
      correlationId: meta.correlationId,
      commandId: meta.commandId,
      ...(error instanceof DomainError ? { code: error.code } : {}),
    };
    const text = `${name} ${result}${error instanceof DomainError ? ` (${error.code})` : ''}`;
    if (result === 'error' && !(error instanceof CommandAlreadyExecuted)) this.logger.error(text, detail);
    else this.logger.log(text, detail);
  }
}
