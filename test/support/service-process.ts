import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import { eventually } from '../../src/testing/eventually';

/** The project's root, found upwards from here: this file also runs compiled under dist-tools/. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(resolve(dir, 'package.json')) || existsSync(resolve(dir, 'tsconfig.tools.json')) === false) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`no project root above ${from}`);
    dir = parent;
  }
  return dir;
}

export const MAIN = resolve(projectRoot(), 'dist/src/main.js');

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  url?: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * Starts the built service (`npm run build` output) as a child process.
 * `detached` makes it the leader of a process group of its own, as a process
 * supervisor runs it: the group then holds the service and everything it started.
 * `nodeArgs`: flags for node itself (e.g. --cpu-prof, which NODE_OPTIONS refuses).
 */
export function spawnService(
  env: Record<string, string | undefined>,
  cwd: string,
  options: { detached?: boolean; nodeArgs?: string[] } = {},
): ServiceProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
  const clean = { ...process.env };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'PORT', 'SMTP_URL']) delete clean[name];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN], {
    cwd,
    env: { ...clean, NO_COLOR: '1', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/** Waits for the "listening on" line and returns the base URL. */
export async function waitForListening(service: ServiceProcess, timeoutMs = 60_000): Promise<string> {
  const exitedEarly = service.exited.then(() => {
    throw new Error(`service exited before listening:\n${service.output()}`);
  });
  const listening = eventually(
    () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(service.output());
      if (!match) throw new Error('not listening yet');
      return match[1];
    },
    { timeoutMs, intervalMs: 100 },
  );
  exitedEarly.catch(() => undefined); // once listening, a later exit is not this function's business
  const url = await Promise.race([listening, exitedEarly]);
  service.url = url;
  return url;
}

/** Whether any process (a zombie included) is left in process group `pgid`. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
