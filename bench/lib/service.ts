import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { eventually } from '../../src/testing/eventually';
import { freePort, ServiceProcess, spawnService } from '../../test/support/service-process';

export interface RunningService {
  url: string;
  process: ServiceProcess;
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The built service as a separate process, on its own database. It logs
 * warnings only: a JSON line per command is part of the product, but here it
 * would measure how fast the harness drains a pipe. BENCH_SERVICE_NODE_ARGS
 * (space separated, e.g. `--cpu-prof --cpu-prof-dir=prof`) go to the service's node, for profiling it.
 */
export async function startService(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningService> {
  const port = await freePort();
  const service = spawnService(
    { DATABASE_URL: databaseUrl, PORT: String(port), BACKSTOP_HOME: tmpdir(), LOG_LEVEL: 'warn', ...env },
    tmpdir(),
    { nodeArgs: process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) },
  );
  const url = `http://localhost:${port}`;
  await eventually(
    async () => {
      if (service.child.exitCode !== null) throw new Error(`service exited:\n${service.output()}`);
      const status = (await fetch(`${url}/health`)).status;
      if (status !== 200) throw new Error(`health answered ${status}`);
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  service.url = url;
  return {
    url,
    process: service,
    async peakRssMb() {
      const status = await readFile(`/proc/${service.child.pid}/status`, 'utf8').catch(() => '');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) / 1024 : NaN;
    },
    async stop() {
      service.child.kill('SIGTERM');
      await service.exited;
    },
  };
}

/** POSTs JSON with a small concurrency, for setting up fixtures through the API. */
export async function postAll(url: string, path: string, bodies: object[], concurrency = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      }
    }),
  );
}
