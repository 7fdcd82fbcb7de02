import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { projectRoot } from './service-process';

export const AUDIT = resolve(projectRoot(), 'dist/src/audit/audit.main.js');
/** A host app's audit script (test/fixtures/seat-audit.main.ts), built by `tsc -p tsconfig.tools.json`. */
export const HOST_AUDIT = resolve(projectRoot(), 'dist-tools/test/fixtures/seat-audit.main.js');

/** Runs `npm run audit`'s script (or another) against a database and returns its exit code and output. */
export function runAudit(
  databaseUrl: string,
  env: Record<string, string> = {},
  script = AUDIT,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => done({ code, output }));
  });
}
