import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigurationError } from '../config/environment';
import { databaseOptions } from '../database/database-options';
import { commandLineDatabase } from '../database/command-line-database';
import { assertTransactionIdsAhead, TransactionIdsBehindLogError } from '../event-log/transaction-id-check';
import { couponUsage } from '../invariants/coupon-usage/coupon-usage.invariant';
import { creditLimit } from '../invariants/credit-limit/credit-limit.invariant';
import { InvariantSettings } from '../invariants/invariant-settings';
import { audit, formatReport } from './audit';

/** The service's invariants; a host app audits its own with `audit(dataSource, invariants, settings)`. */
const BUILT_IN_INVARIANTS = [creditLimit, couponUsage];

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
    const settings = new InvariantSettings({ 'credit-limit': { tolerance: env.CREDIT_LIMIT_TOLERANCE } }, process.env);
    const report = await audit(dataSource, BUILT_IN_INVARIANTS, settings);
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
