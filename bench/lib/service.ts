import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { ServiceProcess, spawnService, waitForListening } from '../../test/support/service-process';

export interface RunningService {
  url: string;
  process: ServiceProcess;
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** The built service as a separate process, on its own database. */
export async function startService(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningService> {
  const service = spawnService({ DATABASE_URL: databaseUrl, PORT: '0', BACKSTOP_HOME: tmpdir(), ...env }, tmpdir());
  const url = await waitForListening(service);
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
        const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      }
    }),
  );
}
