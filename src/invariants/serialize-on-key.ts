import { EntityManager } from 'typeorm';
import { InvariantName } from '../config/backstop.options';

/**
 * The `prevent` strategy: a transaction-scoped advisory lock on the
 * invariant's key. Every command that could break the rule for that key
 * queues here, so the re-check that follows sees every earlier commit.
 */
export async function serializeOnKey(tx: EntityManager, invariant: InvariantName, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [invariant, key]);
}
