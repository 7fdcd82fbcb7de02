import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigurationError } from '../config/environment';
import { databaseOptions } from '../database/database-options';
import { commandLineDatabase } from '../database/command-line-database';
import { assertTransactionIdsAhead, TransactionIdsBehindLogError } from '../event-log/transaction-id-check';
import { audit, formatReport } from './audit';

/**
 * `npm run audit`: checks the invariants against the data on the service's
 * database (DATABASE_URL, or the embedded one under BACKSTOP_HOME). Exits 1
 * when a breach has no open episode or an open episode no longer breaches.
 */
async function main(): Promise<number> {
  const database = await commandLineDatabase();
  const { env } = database;
  const dataSource = await new DataSource(databaseOptions(database.url, { extra: { max: 2 } })).initialize();
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
    await database.stop();
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
