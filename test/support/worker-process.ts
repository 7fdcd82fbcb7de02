import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from './service-process';
import { eventually } from '../../src/testing/eventually';

export const WORKER = resolve(projectRoot(), 'dist-tools/test/fixtures/saga-worker.js');

export interface Worker {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts test/fixtures/saga-worker (compiled by `npm test`'s pretest) and waits until it runs. */
export async function startWorker(databaseUrl: string, instanceId: string): Promise<Worker> {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run "npm test" (its pretest compiles test fixtures)`);
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, DATABASE_URL: databaseUrl, INSTANCE_ID: instanceId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const worker = { child, output: () => output, exited };
  await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`worker exited early:\n${output}`);
      expect(output).toContain('ready');
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  return worker;
}

export async function killHard(worker: Worker): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}
