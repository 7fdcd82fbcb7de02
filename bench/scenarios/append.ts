import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database-options';
import { openDataSource } from '../../src/database/open-data-source';
import { EventLogService } from '../../src/event-log/event-log.service';
import { BenchServer } from '../lib/server';
import { applyVariant, fillLog, indexesOf, IndexVariant } from './event-log-indexes';

export interface AppendResult {
  /** Single-row inserts into a scratch table, the same way: the same pool, 32 at once. */
  ceilingPerSecond: number;
  variants: { label: string; indexes: string[]; appendsPerSecond: number; ratio: number }[];
  priorEvents: number;
  seconds: number;
}

const CONCURRENCY = 32;

/**
 * Scenario 8: EventLogService.append in-process, no HTTP and no command
 * around it: 32 appends at once, each one OrderCreated (tagged as the
 * service tags it) to a new stream, into a log that already holds
 * `priorEvents`. Beside it the raw insert ceiling measured the same way,
 * through the same kind of pool. With several index variants (each its own
 * database), the phases alternate between them round after round, so every
 * variant sees the same moments of a noisy machine.
 */
export async function appendAlone(
  server: BenchServer,
  options: { variants: IndexVariant[]; priorEvents: number; phaseSeconds: number; rounds: number },
): Promise<AppendResult> {
  const dbs = [];
  try {
    for (const [i, variant] of options.variants.entries()) {
      const db = await server.freshDatabase(`append_${i}`);
      dbs.push(db);
      await fillLog(db.sql, options.priorEvents);
      await applyVariant(db.sql, variant);
      await db.sql.query('VACUUM ANALYZE event_log');
    }
    await dbs[0].sql.query(`CREATE TABLE scratch (id bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
    const work: Work[] = [
      { url: dbs[0].url, op: (sql) => () => sql.query(`INSERT INTO scratch (payload) VALUES ($1)`, [ORDER]) },
      ...dbs.map((db) => ({ url: db.url, op: appender })),
    ];
    const totals = work.map(() => ({ ops: 0, ms: 0 }));
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < work.length; k++) {
        const index = (k + round) % work.length; // a different one goes first each round
        const phase = await measure(work[index], options.phaseSeconds);
        totals[index].ops += phase.ops;
        totals[index].ms += phase.ms;
      }
    }
    const rate = (i: number) => totals[i].ops / (totals[i].ms / 1000);
    const ceilingPerSecond = rate(0);
    const variants = [];
    for (const [i, variant] of options.variants.entries()) {
      const appendsPerSecond = rate(i + 1);
      const indexes = await indexesOf(dbs[i].sql);
      variants.push({ label: variant.label, indexes, appendsPerSecond, ratio: appendsPerSecond / ceilingPerSecond });
    }
    return { ceilingPerSecond, variants, priorEvents: options.priorEvents, seconds: options.phaseSeconds };
  } finally {
    for (const db of dbs) await db.drop();
  }
}

const ORDER = { orderId: 'o', customerId: 'c', total: 100 };

type Work = { url: string; op: (sql: DataSource) => () => Promise<unknown> };

function appender(sql: DataSource): () => Promise<unknown> {
  const log = new EventLogService(sql);
  return () => {
    const orderId = randomUUID();
    const event = {
      type: 'OrderCreated',
      payload: { orderId, customerId: 'c-1', total: 100 },
      tags: ['customer:c-1', `order:${orderId}`],
    };
    return log.append(sql.manager, { type: 'Order', id: `order-${orderId}` }, 0, [event]);
  };
}

/**
 * One phase on a pool of its own, closed afterwards: the server's connections
 * are shared (by the variants, and by other users of the server). Each of the
 * 32 connections is opened before the clock starts.
 */
async function measure(work: Work, seconds: number): Promise<{ ops: number; ms: number }> {
  const sql = await openDataSource(databaseOptions(work.url, { extra: { max: CONCURRENCY } }));
  try {
    const run = work.op(sql);
    await Promise.all(Array.from({ length: CONCURRENCY }, () => run()));
    return await timed(run, seconds);
  } finally {
    await sql.destroy();
  }
}

async function timed(run: () => Promise<unknown>, seconds: number): Promise<{ ops: number; ms: number }> {
  const deadline = performance.now() + seconds * 1000;
  let ops = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await run();
        ops++;
      }
    }),
  );
  return { ops, ms: performance.now() - started };
}
