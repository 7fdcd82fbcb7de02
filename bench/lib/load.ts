import autocannon from 'autocannon';
import { percentile } from './stats';

export interface ClosedLoopResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  rejected: number;
  errors: number;
}

/**
 * Closed-loop load with autocannon: `connections` clients, each sending
 * its next request when the previous one is answered, after a warm-up.
 */
export async function closedLoop(options: {
  url: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  body: () => object;
}): Promise<ClosedLoopResult> {
  const request: autocannon.Request = {
    method: 'POST',
    path: '/orders',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify(options.body()) }),
  };
  const common = { url: options.url, connections: options.connections, requests: [request] };
  if (options.warmupSeconds > 0) await autocannon({ ...common, duration: options.warmupSeconds });
  const result = await autocannon({ ...common, duration: options.seconds });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    rejected: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Open-loop load: requests leave at a fixed rate whatever the answers, so a
 * slow server cannot slow the arrivals down (no coordinated omission).
 */
export async function openLoop(options: {
  ratePerSecond: number;
  seconds: number;
  send: (index: number) => Promise<unknown>;
}): Promise<{ sent: number; latenciesMs: number[]; failures: number }> {
  const total = Math.round(options.ratePerSecond * options.seconds);
  const start = performance.now();
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let failures = 0;
  for (let index = 0; index < total; index++) {
    const due = start + (index * 1000) / options.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    inFlight.push(
      options.send(index).then(
        () => void latencies.push(performance.now() - sentAt),
        () => void failures++,
      ),
    );
  }
  await Promise.all(inFlight);
  return { sent: total, latenciesMs: latencies, failures };
}

export const p = percentile;
