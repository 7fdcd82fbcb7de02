import { EntityManager } from 'typeorm';
import { InvariantSettings } from './invariant-settings';

/**
 * The `prevent` strategy: a transaction-scoped advisory lock on the
 * invariant's key. Every command that could break the rule for that key
 * queues here, so the re-check that follows sees every earlier commit.
 */
export async function serializeOnKey(tx: EntityManager, invariant: string, key: string): Promise<void> {
  await inTransaction(tx);
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [invariant, key]);
}

/** A command run without a transaction (runSingleWrite) opens one: the lock must last until its write commits. */
async function inTransaction(tx: EntityManager): Promise<void> {
  if (tx.queryRunner && !tx.queryRunner.isTransactionActive) await tx.queryRunner.startTransaction();
}

/**
 * The same lock, on the key that `keySql` selects (one text column, its
 * parameters from $2): a key stored in a row (an order's customer) costs no
 * read of its own. When it selects nothing, nothing is locked.
 */
export async function serializeOnKeyOf(
  tx: EntityManager,
  invariant: string,
  keySql: string,
  params: unknown[],
): Promise<void> {
  await inTransaction(tx);
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext(k.key)) FROM (${keySql}) k(key)`, [
    invariant,
    ...params,
  ]);
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
