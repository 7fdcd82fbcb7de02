import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { runBatch, Statement } from './statement-batch';

export type { Statement } from './statement-batch';

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `backstop_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** Managers whose transaction was opened by a batch's BEGIN (see beginIfNone), not by TypeORM. */
const opened = new WeakSet<EntityManager>();

/**
 * BEGIN, to send first in a batch, when the manager's connection has no
 * transaction yet (a command under CommandRunner.runSingleWrite that must
 * hold a lock until its write commits). The transaction ends with the write
 * (`commit` below) or with the runner (endOpened).
 */
export function beginIfNone(tx: EntityManager): Statement[] {
  if (!tx.queryRunner || tx.queryRunner.isTransactionActive || opened.has(tx)) return [];
  opened.add(tx);
  return [{ text: 'BEGIN', values: [] }];
}

/** Ends a transaction that a batch opened and no write committed: COMMIT after the work, ROLLBACK after a failure. */
export async function endOpened(tx: EntityManager, end: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  if (!opened.delete(tx)) return;
  await preparedQuery(tx, end, []);
}

/**
 * A statement of the command path as a named (prepared) statement:
 * PostgreSQL parses and plans it once per connection instead of on every
 * command. It runs on the connection of the manager's query runner (inside
 * its transaction, if one is open); a manager without one (the data
 * source's own) runs it on a connection of the pool, on its own (autocommit).
 * The name is derived from the
 * text, so one text is one statement and the set of names stays as small as
 * the set of texts the code builds.
 *
 * `before` goes in the same round trip, ahead of it (a lock the statement's
 * snapshot must come after); `commit` ends a transaction a batch opened
 * (beginIfNone) in that round trip too: the last write of the command.
 */
export async function preparedQuery<R = Record<string, unknown>>(
  tx: EntityManager,
  text: string,
  values: unknown[],
  { before = [], commit = false }: { before?: Statement[]; commit?: boolean } = {},
): Promise<R[]> {
  const runner = tx.queryRunner;
  if (!runner) return (await pooled<R>(tx, [...before, { text, values }]))[before.length];
  // A released runner refuses the query, as TypeORM does: never run on another connection outside the transaction.
  if (runner.isReleased) return tx.query(text, values);
  const after = commit && opened.has(tx) ? [{ text: 'COMMIT', values: [] }] : [];
  const results = await send<R>(await runner.connect(), [...before, { text, values }, ...after]);
  if (after.length > 0) opened.delete(tx);
  return results[before.length];
}

/** `statements` as prepared statements on `client`, all in one round trip: the rows of each. */
async function send<R>(client: PoolClient, statements: Statement[]): Promise<R[][]> {
  const named = statements.map((statement) => ({ ...statement, name: nameOf(statement.text) }));
  if (named.length === 1) return [(await client.query<R & object>(named[0])).rows];
  return runBatch<R>(client, named);
}

/** send, on a connection of the pool, in autocommit. */
async function pooled<R>(tx: EntityManager, statements: Statement[]): Promise<R[][]> {
  const client = await ((tx.connection.driver as PostgresDriver).master as Pool).connect();
  let broken: Error | undefined;
  try {
    return await send<R>(client, statements);
  } catch (error) {
    // An answer of the server (it has a severity) leaves the connection usable; anything else drops it.
    if (!(error instanceof Error && 'severity' in error)) broken = error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}
