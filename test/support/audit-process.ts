import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { projectRoot } from './service-process';

export const AUDIT = resolve(projectRoot(), 'dist/src/audit/audit.main.js');

/** Runs `npm run audit`'s script against a database and returns its exit code and output. */
export function runAudit(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [AUDIT], {
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => done({ code, output }));
  });
}
