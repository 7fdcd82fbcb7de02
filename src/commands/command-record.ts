import { EntityManager } from 'typeorm';

/**
 * The saga command id an attempt has yet to record in executed_commands,
 * keyed by the attempt's EntityManager. The aggregate repository records it
 * in the same statement as the aggregate's row and events (one round trip
 * instead of two); the runner records whatever is left after the work.
 */
const pending = new WeakMap<EntityManager, string>();

export function expectRecord(tx: EntityManager, commandId: string): void {
  pending.set(tx, commandId);
}

export function commandToRecord(tx: EntityManager): string | undefined {
  return pending.get(tx);
}

export function markRecorded(tx: EntityManager): void {
  pending.delete(tx);
}
