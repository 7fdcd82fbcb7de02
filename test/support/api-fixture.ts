import { DataSource } from 'typeorm';
import { AppOptions } from '../../src/app.module';
import { httpClient, HttpClient } from './http';
import { startTestApp, TestApp } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { openDataSource } from './test-data-source';

export interface ApiFixture {
  db: TestDatabase;
  app: TestApp;
  http: HttpClient;
  sql: DataSource;
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/** A service on a database of its own, an HTTP client for it and an SQL handle to check outcomes. */
export async function startApi(options: Omit<AppOptions, 'databaseUrl'> = {}): Promise<ApiFixture> {
  const db = await createTestDatabase();
  const app = await startTestApp(db.url, options);
  const sql = await openDataSource(db.url, 5);
  return {
    db,
    app,
    http: httpClient(app.url),
    sql,
    eventCount: async () => (await sql.query(`SELECT count(*)::int AS n FROM event_log`))[0].n,
    close: async () => {
      await app.close();
      await sql.destroy();
      await db.drop();
    },
  };
}
