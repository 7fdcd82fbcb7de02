import { openLoop } from '../lib/load';
import { BenchServer } from '../lib/server';
import { postAll, startService } from '../lib/service';
import { percentile, sleep } from '../lib/stats';

export interface DetectionResult {
  ratePerSecond: number;
  commands: number;
  breaches: number;
  detected: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  commandP99Ms: number;
}

/**
 * Scenario 4: a steady, open-loop stream of commands of which one in twenty
 * breaks a customer's credit limit (a limit lowered below its exposure).
 * For each episode: the time from the breaking event to its detection.
 */
export async function detectionLatency(
  server: BenchServer,
  ratePerSecond: number,
  seconds: number,
): Promise<DetectionResult> {
  const db = await server.freshDatabase('detection');
  const service = await startService(db.url);
  try {
    const total = Math.round(ratePerSecond * seconds);
    const breaching = Math.ceil(total / 20);
    await postAll(service.url, '/customers', [
      ...Array.from({ length: 100 }, (_, i) => ({
        id: `n-${i}`,
        name: `N${i}`,
        email: `n${i}@example.com`,
        creditLimit: 1_000_000_000,
      })),
      ...Array.from({ length: breaching }, (_, i) => ({
        id: `b-${i}`,
        name: `B${i}`,
        email: `b${i}@example.com`,
        creditLimit: 1000,
      })),
    ]);
    await postAll(
      service.url,
      '/orders',
      Array.from({ length: breaching }, (_, i) => ({ customerId: `b-${i}`, total: 500 })),
    );
    await sleep(500);

    let breaches = 0;
    const load = await openLoop({
      ratePerSecond,
      seconds,
      send: async (index) => {
        const breaking = index % 20 === 19;
        const init = breaking
          ? { method: 'PUT', path: `/customers/b-${breaches++}/credit-limit`, body: { creditLimit: 100 } }
          : { method: 'POST', path: '/orders', body: { customerId: `n-${index % 100}`, total: 1 } };
        const response = await fetch(`${service.url}${init.path}`, {
          method: init.method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(init.body),
        });
        await response.arrayBuffer();
        if (response.status >= 300) throw new Error(String(response.status));
      },
    });

    const deadline = Date.now() + 30_000;
    let latencies: number[] = [];
    while (Date.now() < deadline) {
      latencies = (
        await db.sql.query(`
          SELECT extract(epoch FROM v.detected_at - cause.recorded_at) * 1000 AS ms
            FROM violations v
            JOIN event_log opened ON opened.event_type = 'InvariantViolated'
              AND opened.payload->>'violationId' = v.id::text
            JOIN event_log cause ON cause.event_id = (opened.payload->>'detectedBy')::uuid
           WHERE v.invariant = 'credit-limit'`)
      ).map((row: { ms: string }) => Number(row.ms));
      if (latencies.length >= breaches) break;
      await sleep(200);
    }
    return {
      ratePerSecond,
      commands: load.sent,
      breaches,
      detected: latencies.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
      commandP99Ms: percentile(load.latenciesMs, 99),
    };
  } finally {
    await service.stop();
    await db.drop();
  }
}
