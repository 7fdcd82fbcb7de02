import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Client } from 'pg';
import { median, percentile } from './stats';

export interface LatencyProxy {
  delayMs: number;
  /** The same database URL, through the proxy. */
  url(databaseUrl: string): string;
  stop(): Promise<void>;
}

/** Starts bench/lib/proxy.main in a child process in front of the server of `databaseUrl`. */
export async function startLatencyProxy(databaseUrl: string, delayMs: number): Promise<LatencyProxy> {
  const target = new URL(databaseUrl);
  const child = spawn(
    process.execPath,
    [join(__dirname, 'proxy.main.js'), target.hostname, target.port || '5432', String(delayMs)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the latency proxy exited with ${code} before it listened`);
  });
  const [chunk] = (await Promise.race([once(child.stdout!, 'data'), exited])) as [Buffer];
  exited.catch(() => undefined); // once it listens, an exit is stop()'s business
  const port = Number(String(chunk).trim());
  if (!port) throw new Error(`the latency proxy did not start: ${String(chunk)}`);
  return {
    delayMs,
    url(url) {
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String(port);
      return through.toString();
    },
    async stop() {
      child.stdin!.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

export interface PingResult {
  directMs: number;
  proxiedMs: number;
  addedMs: number;
  proxiedP99Ms: number;
}

/** `SELECT 1` round trips, alternating direct and through the proxy: medians and what the proxy adds. */
export async function ping(databaseUrl: string, proxy: LatencyProxy, count = 200): Promise<PingResult> {
  const direct = new Client({ connectionString: databaseUrl });
  const proxied = new Client({ connectionString: proxy.url(databaseUrl) });
  await Promise.all([direct.connect(), proxied.connect()]);
  try {
    const times: Record<'direct' | 'proxied', number[]> = { direct: [], proxied: [] };
    for (let i = 0; i < count * 2; i++) {
      const [name, client] = i % 2 === 0 ? (['direct', direct] as const) : (['proxied', proxied] as const);
      const started = performance.now();
      await client.query('SELECT 1');
      if (i >= 20) times[name].push(performance.now() - started);
    }
    const [directMs, proxiedMs] = [median(times.direct), median(times.proxied)];
    return { directMs, proxiedMs, addedMs: proxiedMs - directMs, proxiedP99Ms: percentile(times.proxied, 99) };
  } finally {
    await Promise.all([direct.end(), proxied.end()]);
  }
}
