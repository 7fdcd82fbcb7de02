import { startLatencyProxy, ping, PingResult } from '../lib/latency-proxy';
import { closedLoop, ClosedLoopResult } from '../lib/load';
import { BenchServer } from '../lib/server';
import { postAll, startService } from '../lib/service';
import { ThroughputSettings } from './throughput';

export interface RemoteRun {
  strategy: 'react' | 'prevent';
  hotKey: ClosedLoopResult;
  ping: PingResult;
}

/** Each way: a database 1 ms away (round trip), as in a data centre rather than on loopback. */
export const DELAY_MS_EACH_WAY = 0.5;

/**
 * Scenario 1 with the service reaching PostgreSQL through a latency proxy:
 * `prevent` holds the customer's lock for every round trip of the command,
 * `react` does not, so the gap the design expects shows once a round trip
 * costs time that is not CPU. The proxy's added round trip is measured with
 * `SELECT 1` (direct and proxied, alternating) beside each run.
 */
export async function remoteHotKeyRun(
  server: BenchServer,
  strategy: 'react' | 'prevent',
  settings: ThroughputSettings & { remoteConnections: number },
): Promise<RemoteRun> {
  const db = await server.freshDatabase(`remote_${strategy}`);
  const proxy = await startLatencyProxy(db.url, DELAY_MS_EACH_WAY);
  try {
    const service = await startService(proxy.url(db.url), {
      CREDIT_LIMIT_STRATEGY: strategy,
      COUPON_USAGE_STRATEGY: strategy,
    });
    try {
      await postAll(service.url, '/customers', [
        { id: 'hot', name: 'Hot', email: 'hot@example.com', creditLimit: 1_000_000_000_000 },
      ]);
      const measured = await ping(db.url, proxy);
      const hotKey = await closedLoop({
        url: service.url,
        connections: settings.remoteConnections,
        seconds: settings.seconds,
        warmupSeconds: settings.warmupSeconds,
        body: () => ({ customerId: 'hot', total: 100 }),
      });
      return { strategy, hotKey, ping: measured };
    } finally {
      await service.stop();
    }
  } finally {
    await proxy.stop();
    await db.drop();
  }
}
