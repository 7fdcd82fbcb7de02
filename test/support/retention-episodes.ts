import { DataSource, EntityManager } from 'typeorm';
import { HttpClient } from './http';
import { quiescent } from './quiescence';

/** Episodes with their reactions, and ways to age them, for the retention specs. */

export const count = async (sql: DataSource, query: string, params: unknown[] = []) =>
  (await sql.query(`SELECT count(*)::int AS n FROM ${query}`, params))[0].n as number;

/**
 * A lowered credit limit, deterministically: three orders of 300, limit down to
 * 350, so the two newest are held (two compensating commands) and the episode
 * resolves (an opened and a resolved mail). Answers the violation's id.
 */
export async function episodeFor(http: HttpClient, sql: DataSource, customer: string): Promise<string> {
  await http.post('/customers', { id: customer, name: customer, email: `${customer}@example.com`, creditLimit: 1000 });
  for (const n of [1, 2, 3]) await http.post('/orders', { id: `${customer}-${n}`, customerId: customer, total: 300 });
  await http.put(`/customers/${customer}/credit-limit`, { creditLimit: 350 });
  await quiescent(sql);
  const [violation] = await sql.query(`SELECT id::text FROM violations WHERE key = $1 AND status = 'resolved'`, [
    customer,
  ]);
  expect(violation).toBeDefined();
  return violation.id;
}

/** Backdates one episode: the violation's resolution, its commands (finished and executed) and its sent mails. */
export async function backdate(
  tx: DataSource | EntityManager,
  violationId: string,
  days: { violation: number; reactions: number },
) {
  const ago = (n: number) => `now() - interval '${n} days'`;
  await tx.query(
    `UPDATE violations SET resolved_at = ${ago(days.violation)}, detected_at = ${ago(days.violation + 1)}
      WHERE id = $1`,
    [violationId],
  );
  await tx.query(
    `UPDATE command_outbox SET done_at = ${ago(days.reactions)}, created_at = ${ago(days.reactions)}
      WHERE payload->>'violationId' = $1`,
    [violationId],
  );
  await tx.query(
    `UPDATE executed_commands SET executed_at = ${ago(days.reactions)}
      WHERE command_id IN (SELECT command_id FROM command_outbox WHERE payload->>'violationId' = $1)`,
    [violationId],
  );
  await tx.query(
    `UPDATE mail_outbox SET sent_at = ${ago(days.reactions)}, created_at = ${ago(days.reactions)}
      WHERE violation_id = $1`,
    [violationId],
  );
}

export const reactionsOf = async (sql: DataSource, violationId: string) => ({
  violation: await count(sql, `violations WHERE id = $1`, [violationId]),
  commands: await count(sql, `command_outbox WHERE payload->>'violationId' = $1`, [violationId]),
  executed: await count(
    sql,
    `executed_commands e JOIN command_outbox c USING (command_id) WHERE c.payload->>'violationId' = $1`,
    [violationId],
  ),
  mails: await count(sql, `mail_outbox WHERE violation_id = $1`, [violationId]),
});
