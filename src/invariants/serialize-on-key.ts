import { EntityManager } from 'typeorm';
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

/** Queues on the key when the invariant's strategy is `prevent`; under `react` it locks nothing. */
export async function lockIfPrevent(
  tx: EntityManager,
  settings: InvariantSettings,
  invariant: string,
  key: string,
): Promise<void> {
  if (settings.strategy(invariant) === 'prevent') await serializeOnKey(tx, invariant, key);
}
