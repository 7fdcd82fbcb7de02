import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { projectRoot } from './service-process';

export const REPARTITION = resolve(projectRoot(), 'dist/src/ops/repartition.main.js');

/** Runs `npm run sagas:repartition`'s script against a database and returns its exit code and output. */
export function runRepartition(databaseUrl: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [REPARTITION, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => done({ code, output }));
  });
}
