import { BenchServer } from '../lib/server';
import { postAll, startService } from '../lib/service';
import { median } from '../lib/stats';

export interface HistoryResult {
  shortHistoryMs: number;
  longHistoryMs: number;
  ratio: number;
  requests: number;
}

/**
 * Scenario 6: CreateOrder latency for a customer with 10 prior orders
 * against one with 10,000 (completed, cancelled and some open), measured
 * one request at a time, alternating, so both see the same conditions.
 */
export async function historyCost(server: BenchServer, requests: number): Promise<HistoryResult> {
  const db = await server.freshDatabase('history');
  const service = await startService(db.url);
  try {
    await postAll(service.url, '/customers', [
      { id: 'short', name: 'Short', email: 's@example.com', creditLimit: 1_000_000_000_000 },
      { id: 'long', name: 'Long', email: 'l@example.com', creditLimit: 1_000_000_000_000 },
    ]);
    for (const [customer, count] of [
      ['short', 10],
      ['long', 10_000],
    ] as const) {
      await db.sql.query(
        `INSERT INTO orders (id, customer_id, total, discount, status, version)
         SELECT $1 || '-h' || n, $1, 100, 0,
                CASE WHEN n % 10 = 0 THEN 'open' WHEN n % 2 = 0 THEN 'completed' ELSE 'cancelled' END, 2
           FROM generate_series(1, $2::int) AS n`,
        [customer, count],
      );
    }
    await db.sql.query('ANALYZE orders');
    const timings: Record<'short' | 'long', number[]> = { short: [], long: [] };
    for (let i = 0; i < requests * 2; i++) {
      const customer = i % 2 === 0 ? 'short' : 'long';
      const started = performance.now();
      const response = await fetch(`${service.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: customer, total: 1 }),
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`CreateOrder answered ${response.status}`);
      if (i >= 20) timings[customer].push(performance.now() - started); // the first few warm the path up
    }
    const shortHistoryMs = median(timings.short);
    const longHistoryMs = median(timings.long);
    return { shortHistoryMs, longHistoryMs, ratio: longHistoryMs / shortHistoryMs, requests };
  } finally {
    await service.stop();
    await db.drop();
  }
}
