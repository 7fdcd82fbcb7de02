import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database-options';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { openDataSource } from '../../src/database/open-data-source';
import { runMigrations } from '../../src/database/run-migrations';
import { withDatabase } from '../../test/support/database-url';

export interface BenchServer {
  adminUrl: string;
  version: string;
  freshDatabase(label: string): Promise<{ url: string; sql: DataSource; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

/** The machine's PostgreSQL when DATABASE_URL is set, otherwise an embedded one in a temp folder. */
export async function benchServer(): Promise<BenchServer> {
  let embedded: EmbeddedDatabase | undefined;
  let home: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    home = await mkdtemp(join(tmpdir(), 'backstop-bench-'));
    await chmod(home, 0o755);
    const quiet = { log: () => undefined, warn: () => undefined, error: console.error };
    embedded = await startEmbeddedPostgres({
      dataDir: join(home, 'pg'),
      port: 54377,
      database: 'postgres',
      persistent: false,
      logger: quiet,
    });
    adminUrl = embedded.adminUrl;
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  let counter = 0;
  return {
    adminUrl,
    version,
    async freshDatabase(label) {
      const name = `backstop_bench_${process.pid}_${counter++}_${label.replace(/\W/g, '_')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = withDatabase(adminUrl!, name);
      const sql = await openDataSource(databaseOptions(url, { extra: { max: 40 } }));
      await runMigrations(sql);
      return {
        url,
        sql,
        drop: async () => {
          await sql.destroy();
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
    async stop() {
      await admin.end();
      await embedded?.stop();
      if (home) await rm(home, { recursive: true, force: true });
    },
  };
}
