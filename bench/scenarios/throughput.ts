import { closedLoop, ClosedLoopResult } from '../lib/load';
import { BenchServer } from '../lib/server';
import { postAll, startService } from '../lib/service';

export interface ThroughputRun {
  strategy: 'react' | 'prevent';
  hotKey: ClosedLoopResult;
  spread: ClosedLoopResult;
  peakRssMb: number;
}

export interface ThroughputSettings {
  seconds: number;
  warmupSeconds: number;
  customers: number;
}

const NEVER_REACHED = 1_000_000_000_000;

/**
 * Scenarios 1, 2 and 7 for one strategy on a fresh database: CreateOrder
 * from 64 clients on one customer (the hot key), then spread over many
 * customers, and the service's peak RSS over both.
 */
export async function throughputRun(
  server: BenchServer,
  strategy: 'react' | 'prevent',
  settings: ThroughputSettings,
): Promise<ThroughputRun> {
  const db = await server.freshDatabase(`tp_${strategy}`);
  const service = await startService(db.url, { CREDIT_LIMIT_STRATEGY: strategy, COUPON_USAGE_STRATEGY: strategy });
  try {
    await postAll(service.url, '/customers', [
      { id: 'hot', name: 'Hot', email: 'hot@example.com', creditLimit: NEVER_REACHED },
    ]);
    await postAll(
      service.url,
      '/customers',
      Array.from({ length: settings.customers }, (_, i) => ({
        id: `c-${i}`,
        name: `C${i}`,
        email: `c${i}@example.com`,
        creditLimit: NEVER_REACHED,
      })),
    );
    const hotKey = await closedLoop({
      url: service.url,
      connections: 64,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      body: () => ({ customerId: 'hot', total: 100 }),
    });
    const spread = await closedLoop({
      url: service.url,
      connections: 64,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      body: () => ({ customerId: `c-${Math.floor(Math.random() * settings.customers)}`, total: 100 }),
    });
    return { strategy, hotKey, spread, peakRssMb: await service.peakRssMb() };
  } finally {
    await service.stop();
    await db.drop();
  }
}
