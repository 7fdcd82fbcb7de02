import { DataSource } from 'typeorm';
import { InvariantOptions } from '../../src/config/backstop.options';
import { RunningApp, startBackstopApp } from './backstop-app';
import { httpClient, HttpClient } from './http';
import { SmtpSink } from './smtp-sink';
import { createTestDatabase, TestDatabase } from './test-database';
import { openDataSource } from './test-data-source';

/** A database, a real SMTP server, and Backstop on both, for invariant scenarios. */
export interface Stack {
  db: TestDatabase;
  sql: DataSource;
  app: RunningApp;
  http: HttpClient;
  smtp: SmtpSink;
  close(): Promise<void>;
}

export async function stack(invariants: InvariantOptions = {}, smtpPort = 0): Promise<Stack> {
  const db = await createTestDatabase();
  const sql = await openDataSource(db.url, 5);
  const smtp = await new SmtpSink().start(smtpPort);
  const app = await startBackstopApp({
    databaseUrl: db.url,
    invariants,
    alertTo: ['ops@example.com'],
    mail: { smtpUrl: smtp.url },
    runtime: { pollIntervalMs: 100 },
  });
  return {
    db,
    sql,
    app,
    smtp,
    http: httpClient(app.url),
    close: async () => {
      await app.close();
      await smtp.stop();
      await sql.destroy();
      await db.drop();
    },
  };
}
