import { EntityManager } from 'typeorm';
import { beginIfNone, Statement } from '../database/prepared-query';
import { InvariantSettings } from './invariant-settings';

/**
 * The `prevent` strategy: a transaction-scoped advisory lock on the
 * invariant's key. Every command that could break the rule for that key
 * queues here, so the re-check that follows sees every earlier commit.
 */
export async function serializeOnKey(tx: EntityManager, invariant: string, key: string): Promise<void> {
  // A command run without a transaction (CommandRunner.runSingleWrite) opens
  // one here: the lock must be held until its write commits.
  if (tx.queryRunner && !tx.queryRunner.isTransactionActive) await tx.queryRunner.startTransaction();
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [invariant, key]);
}

/** A key as a value, or as the one text column its statement selects (parameters from $2): an order's customer. */
export type LockKey = string | { sql: string; params: unknown[] };

/**
 * The same lock as statements to send in the round trip of the read that
 * must come after it (preparedQuery's `before`; the read's snapshot is taken
 * once the lock is held), BEGIN first when the command has no transaction
 * yet: the write that follows commits it (see beginIfNone). A key statement
 * that selects nothing locks nothing.
 */
export function lockStatements(tx: EntityManager, invariant: string, key: LockKey): Statement[] {
  const lock =
    typeof key === 'string'
      ? { text: 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', values: [invariant, key] }
      : {
          text: `SELECT pg_advisory_xact_lock(hashtext($1), hashtext(k.key)) FROM (${key.sql}) k(key)`,
          values: [invariant, ...key.params],
        };
  return [...beginIfNone(tx), lock];
}

/** lockStatements when the invariant's strategy is `prevent`; none under `react`. */
export function lockStatementsIfPrevent(
  tx: EntityManager,
  settings: InvariantSettings,
  invariant: string,
  key: LockKey,
): Statement[] {
  return settings.strategy(invariant) === 'prevent' ? lockStatements(tx, invariant, key) : [];
}

/** Queues on the key when the invariant's strategy is `prevent`; under `react` it locks nothing. */
export async function lockIfPrevent(
  tx: EntityManager,
  settings: InvariantSettings,
  invariant: string,
  key: string,
): Promise<void> {
  if (settings.strategy(invariant) === 'prevent') await serializeOnKey(tx, invariant, key);
}
