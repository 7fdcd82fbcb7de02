import { DataSource } from 'typeorm';
import { httpClient, HttpClient } from './http';
import { RoundTripCounter } from './round-trip-counter';
import { startTestApp, TestApp } from './test-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { openDataSource } from './test-data-source';

export interface CountedApp {
  db: TestDatabase;
  /** Counts the app's round trips to its database. */
  counter: RoundTripCounter;
  app: TestApp;
  http: HttpClient;
  /** A connection of the test's own, not counted. */
  sql: DataSource;
  close(): Promise<void>;
}

/** The service on a fresh database, sagas off, reaching it through a RoundTripCounter. */
export async function startCountedApp(options: Parameters<typeof startTestApp>[1] = {}): Promise<CountedApp> {
  const db = await createTestDatabase();
  const target = new URL(db.url);
  const counter = await new RoundTripCounter(target.hostname, Number(target.port)).start();
  const app = await startTestApp(counter.url(db.url), { ...options, runtime: { enabled: false } });
  const sql = await openDataSource(db.url, 2);
  const close = async () => {
    await app.close();
    await sql.destroy();
    await counter.stop();
    await db.drop();
  };
  return { db, counter, app, http: httpClient(app.url), sql, close };
}
