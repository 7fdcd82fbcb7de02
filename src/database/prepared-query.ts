import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `backstop_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A statement of the command path as a named (prepared) statement:
 * PostgreSQL parses and plans it once per connection instead of on every
 * command. It runs on the connection of the manager's query runner (inside
 * its transaction, if one is open); a manager without one (the data
 * source's own) runs it as an ordinary query. The name is derived from the
 * text, so one text is one statement and the set of names stays as small as
 * the set of texts the code builds.
 */
export async function preparedQuery<R = Record<string, unknown>>(
  tx: EntityManager,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const runner = tx.queryRunner;
  if (!runner || runner.isReleased) return tx.query(text, values);
  const client = (await runner.connect()) as {
    query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
  };
  return (await client.query({ name: nameOf(text), text, values })).rows;
}
