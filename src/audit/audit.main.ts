import 'reflect-metadata';
import { runAudit } from './run-audit';

/**
 * `npm run audit`: checks the built-in invariants against the data on the
 * service's database (DATABASE_URL, or the embedded one under BACKSTOP_HOME),
 * with their settings read by name from the environment. Exit codes: see runAudit.
 */
void runAudit().then((code) => process.exit(code));
