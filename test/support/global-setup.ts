import 'reflect-metadata';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database-options';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/run-migrations';
import { withDatabase } from './database-url';

declare global {
  var __BACKSTOP_EMBEDDED__: EmbeddedDatabase | undefined;
}

/**
 * Once per run: find a PostgreSQL server (TEST_DATABASE_URL, DATABASE_URL, or
 * an embedded one), then build a migrated template database that every test
 * file clones, so files run in parallel on databases of their own.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: join(process.cwd(), '.backstop', 'test-pg'),
      port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330),
      database: 'postgres',
      persistent: false,
      logger: { log: () => undefined, warn: console.warn, error: console.error },
    });
    globalThis.__BACKSTOP_EMBEDDED__ = embedded;
    adminUrl = embedded.adminUrl;
  }
  const template = `backstop_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const dataSource = await new DataSource(databaseOptions(withDatabase(adminUrl, template))).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env.BACKSTOP_TEST_ADMIN_URL = adminUrl;
  process.env.BACKSTOP_TEST_TEMPLATE = template;
}
