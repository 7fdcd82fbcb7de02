import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigurationError, validateEnvironment } from '../config/environment';
import { databaseOptions } from '../database/database-options';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../database/embedded-postgres';
import { assertTransactionIdsAhead, TransactionIdsBehindLogError } from '../event-log/transaction-id-check';
import { audit, formatReport } from './audit';

/**
 * `npm run audit`: checks the invariants against the data on the service's
 * database (DATABASE_URL, or the embedded one under BACKSTOP_HOME). Exits 1
 * when a breach has no open episode or an open episode no longer breaches.
 */
async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnvironment(process.env);
  let embedded: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    const quiet = { log: () => undefined, warn: () => undefined, error: (message: string) => console.error(message) };
    embedded = await startEmbeddedPostgres({
      dataDir: join(env.BACKSTOP_HOME, 'pg'),
      port: env.EMBEDDED_PG_PORT,
      logger: quiet,
    });
  }
  const dataSource = await new DataSource(
    databaseOptions(env.DATABASE_URL ?? embedded!.url, { extra: { max: 2 } }),
  ).initialize();
  try {
    await assertTransactionIdsAhead(dataSource.manager);
    const report = await audit(dataSource, env.CREDIT_LIMIT_TOLERANCE);
    console.log(formatReport(report));
    for (const problem of report.problems) {
      console.error(
        problem.verdict === 'MISS'
          ? `MISS: ${problem.invariant} is broken for ${problem.key} (${problem.actual} > ${problem.allowed}) and no episode is open`
          : `STALE: episode ${problem.openViolationId} of ${problem.invariant} for ${problem.key} is open but the rule holds (${problem.actual} <= ${problem.allowed})`,
      );
    }
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigurationError || error instanceof TransactionIdsBehindLogError;
    console.error(known ? error.message : error);
    process.exit(2);
  },
);
