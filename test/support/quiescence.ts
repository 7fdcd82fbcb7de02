import { DataSource } from 'typeorm';
import { COUPON_USAGE, COUPON_USAGE_EVENTS } from '../../src/invariants/coupon-usage/coupon-usage.invariant';
import { CREDIT_LIMIT, CREDIT_LIMIT_EVENTS } from '../../src/invariants/credit-limit/credit-limit.invariant';
import { eventually } from '../../src/testing/eventually';

export const BUILT_IN_SAGAS: Record<string, string[]> = {
  [CREDIT_LIMIT]: CREDIT_LIMIT_EVENTS,
  [COUPON_USAGE]: COUPON_USAGE_EVENTS,
};

/**
 * Waits until nothing is left to do: every partition of every saga is past
 * every event it subscribes to, no outbox row is pending, and no event
 * arrived while checking.
 */
export async function quiescent(
  sql: DataSource,
  sagas: Record<string, string[]> = BUILT_IN_SAGAS,
  timeoutMs = 30_000,
): Promise<void> {
  const head = async () =>
    (await sql.query(`SELECT coalesce(max(position), 0)::text AS head FROM event_log`))[0].head as string;
  await eventually(
    async () => {
      const before = await head();
      for (const [saga, types] of Object.entries(sagas)) {
        const [{ behind }] = await sql.query(
          `SELECT count(*)::int AS behind FROM event_log e JOIN saga_partitions p ON p.saga = $1
            WHERE e.event_type = ANY($2::text[])
              AND (p.checkpoint_txid, p.checkpoint_position) < (e.transaction_id, e.position)`,
          [saga, types],
        );
        if (behind > 0) throw new Error(`${saga}: partitions are ${behind} event(s) behind`);
      }
      const [{ pending }] = await sql.query(
        `SELECT ((SELECT count(*) FROM command_outbox WHERE status = 'pending') + (SELECT count(*) FROM mail_outbox
          WHERE status = 'pending'))::int AS pending`,
      );
      if (pending > 0) throw new Error(`${pending} outbox row(s) pending`);
      if ((await head()) !== before) throw new Error('new events arrived while checking');
    },
    { timeoutMs, intervalMs: 100 },
  );
}
