import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

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
 * source's own) runs it on a connection of the pool, on its own (autocommit).
 * The name is derived from the
 * text, so one text is one statement and the set of names stays as small as
 * the set of texts the code builds.
 */
export async function preparedQuery<R = Record<string, unknown>>(
  tx: EntityManager,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const runner = tx.queryRunner;
  const statement = { name: nameOf(text), text, values };
  if (!runner) {
    const client = await ((tx.connection.driver as PostgresDriver).master as Pool).connect();
    let broken: Error | undefined;
    try {
      return (await client.query<R & object>(statement)).rows;
    } catch (error) {
      // An answer of the server (it has a severity) leaves the connection usable; anything else drops it.
      if (!(error instanceof Error && 'severity' in error)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }
  // A released runner refuses the query, as TypeORM does: never run on another connection outside the transaction.
  if (runner.isReleased) return tx.query(text, values);
  const client = (await runner.connect()) as {
    query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
  };
  return (await client.query(statement)).rows;
}
