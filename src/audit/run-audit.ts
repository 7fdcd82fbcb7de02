import { DataSource } from 'typeorm';
import type { BackstopOptions } from '../config/backstop.options';
import { ConfigurationError } from '../config/environment';
import { commandLineDatabase } from '../database/command-line-database';
import { databaseOptions } from '../database/database-options';
import { assertTransactionIdsAhead, TransactionIdsBehindLogError } from '../event-log/transaction-id-check';
import { couponUsage } from '../invariants/coupon-usage/coupon-usage.invariant';
import { creditLimit } from '../invariants/credit-limit/credit-limit.invariant';
import { Invariant } from '../invariants/define-invariant';
import { InvariantSettings } from '../invariants/invariant-settings';
import { audit, AuditRow, formatReport } from './audit';

export interface RunAuditOptions {
  /** The host's declarations, as given to BackstopModule.forInvariants; the built-ins are audited too. */
  invariants?: Invariant[];
  /**
   * The options given to BackstopModule.forRoot, or the part that matters here: `databaseUrl` (unset:
   * DATABASE_URL, or the embedded server under BACKSTOP_HOME), and the settings by name, read as the module
   * reads them (`invariants[name]`, then `<NAME>_*` in `environment`, default process.env).
   */
  options?: Partial<Pick<BackstopOptions, 'databaseUrl' | 'invariants' | 'environment'>>;
}

const problemLine = (problem: AuditRow) =>
  problem.verdict === 'MISS'
    ? `MISS: ${problem.invariant} is broken for ${problem.key} (${problem.actual} > ${problem.allowed}) ` +
      'and no episode is open'
    : `STALE: episode ${problem.openViolationId} of ${problem.invariant} for ${problem.key} is open ` +
      `but the rule holds (${problem.actual} <= ${problem.allowed})`;

/** The declarations the module would run, checked as its start checks them: unique names, known settings. */
function declared(hostInvariants: Invariant[], settings: InvariantSettings, configured: string[]): Invariant[] {
  const invariants = [creditLimit, couponUsage, ...hostInvariants];
  const names = invariants.map((invariant) => invariant.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new ConfigurationError([`two invariants are named ${duplicate}`]);
  const unknown = configured.filter((name) => !names.includes(name));
  if (unknown.length)
    throw new ConfigurationError([`settings are configured for ${unknown.join(', ')}, which is no declared invariant`]);
  for (const name of names) settings.of(name);
  return invariants;
}

/**
 * `npm run audit`, for the built-ins and a host's own invariants: prints the
 * report and resolves to the exit code, 0 when every breach has its open
 * episode, 1 on a miss or a stale episode (each named on stderr), 2 when it
 * could not run (bad settings, a restored database, no database).
 * A host's script: `runAudit({ invariants: [seatCapacity] }).then((code) => process.exit(code))`.
 */
export async function runAudit({ invariants = [], options = {} }: RunAuditOptions = {}): Promise<number> {
  try {
    // First: the command line's database loads .env, which the settings read.
    const database = options.databaseUrl
      ? { url: options.databaseUrl, stop: async () => undefined }
      : await commandLineDatabase();
    try {
      const settings = new InvariantSettings(options.invariants, options.environment ?? process.env);
      const checked = declared(invariants, settings, Object.keys(options.invariants ?? {}));
      const dataSource = await new DataSource(databaseOptions(database.url, { extra: { max: 2 } })).initialize();
      try {
        await assertTransactionIdsAhead(dataSource.manager);
        const report = await audit(dataSource, checked, settings);
        console.log(formatReport(report));
        for (const problem of report.problems) console.error(problemLine(problem));
        return report.problems.length > 0 ? 1 : 0;
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await database.stop();
    }
  } catch (error) {
    const known = error instanceof ConfigurationError || error instanceof TransactionIdsBehindLogError;
    console.error(known ? error.message : error);
    return 2;
  }
}
