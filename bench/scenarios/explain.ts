import 'reflect-metadata';
import { EntityManager, QueryRunner } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';
import { readSubscription } from '../../src/event-log/subscription-read';
import { Checkpoint } from '../../src/event-log/event-log.types';
import { COUPON_USAGE_EVENTS } from '../../src/invariants/coupon-usage/coupon-usage.invariant';
import { CREDIT_LIMIT_EVENTS } from '../../src/invariants/credit-limit/credit-limit.invariant';
import { BenchServer } from '../lib/server';
import { median } from '../lib/stats';
import { applyVariant, fillLog, indexVariants, OPTIONAL_INDEXES } from './event-log-indexes';

type Call = (db: EntityManager, at: { head: Checkpoint; start: Checkpoint }) => Promise<unknown>;

export interface ExplainRow {
  query: string;
  /** Per schema: the median execution time and the indexes of event_log the plan used. */
  plans: { without: string | null; ms: number; indexes: string[]; seqScan: boolean }[];
}

const log = new EventLogService(undefined as never);
const partition = (types: string[]) => ({ types, partition: { keyField: 'customerId', partitions: 4, of: [0] } });

/** The statements of src/ that read event_log, called through the code that issues them. */
const QUERIES: [string, Call][] = [
  ['append: stream version guard + insert', (db) => log.append(db, { type: 'Order', id: 'order-x' }, 0, [ORDER])],
  ['readStream (aggregate load, parked keys)', (db) => log.readStream('order-cu7-7', db)],
  ['saga poll, credit-limit, caught up (partition 0/4)', (db, at) => partitionRead(db, at.head, CREDIT_LIMIT_EVENTS)],
  ['saga batch, credit-limit, from the start', (db, at) => partitionRead(db, at.start, CREDIT_LIMIT_EVENTS)],
  [
    'saga batch, coupon-usage (rare types), from the start',
    (db, at) => partitionRead(db, at.start, COUPON_USAGE_EVENTS),
  ],
  ['readAll, all types, from the start', (db, at) => readSubscription(db, at.start, 500, {}, (row) => row as never)],
  [
    'readKeyRange (parked key retry)',
    (db, at) =>
      log.readKeyRange(
        db,
        { after: at.start, upTo: at.head },
        { types: CREDIT_LIMIT_EVENTS, keyField: 'customerId', key: 'cu7' },
      ),
  ],
  ['readByTag customer:cu7 (tests only)', (db) => log.readByTag('customer:cu7', db)],
];

const ORDER = { type: 'OrderCreated', payload: { orderId: 'x', customerId: 'cu7', total: 1 }, tags: ['customer:cu7'] };

function partitionRead(db: EntityManager, after: Checkpoint, types: string[]) {
  return readSubscription(db, after, 500, partition(types), (row) => row as never);
}

/**
 * EXPLAIN ANALYZE of every statement above on a log of `events`, with every
 * optional index and then with each one dropped (inside a transaction that
 * is rolled back: PostgreSQL's DDL is transactional).
 */
export async function explainIndexes(server: BenchServer, events: number, repeats = 5): Promise<ExplainRow[]> {
  const db = await server.freshDatabase('explain');
  try {
    await fillLog(db.sql, events);
    await applyVariant(db.sql, indexVariants()[0]);
    await db.sql.query('VACUUM ANALYZE event_log');
    const at = await checkpoints(db.sql.manager);
    const rows: ExplainRow[] = QUERIES.map(([query]) => ({ query, plans: [] }));
    for (const without of [null, ...Object.keys(OPTIONAL_INDEXES)]) {
      const runner = db.sql.createQueryRunner();
      await runner.startTransaction();
      try {
        if (without) await runner.query(OPTIONAL_INDEXES[without].drop);
        for (const [i, [, call]] of QUERIES.entries())
          rows[i].plans.push({ without, ...(await explain(runner, call, at, repeats)) });
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }
    return rows;
  } finally {
    await db.drop();
  }
}

async function checkpoints(db: EntityManager): Promise<{ head: Checkpoint; start: Checkpoint }> {
  const at = async (order: string, offset: number): Promise<Checkpoint> => {
    const [row] = await db.query(
      `SELECT transaction_id::text AS txid, position FROM event_log
        ORDER BY transaction_id ${order}, position ${order} OFFSET $1 LIMIT 1`,
      [offset],
    );
    return { transactionId: row.txid, position: Number(row.position) };
  };
  // A caught-up partition stands a few events behind the head; a fresh one before the first event.
  return { head: await at('DESC', 50), start: { transactionId: '0', position: 0 } };
}

async function explain(runner: QueryRunner, call: Call, at: { head: Checkpoint; start: Checkpoint }, repeats: number) {
  const times: number[] = [];
  let plan: PlanNode | undefined;
  for (let i = 0; i <= repeats; i++) {
    const manager = {
      query: async (sql: string, params: unknown[]) => {
        await runner.query('SAVEPOINT explain');
        const [{ 'QUERY PLAN': result }] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
        await runner.query('ROLLBACK TO SAVEPOINT explain'); // an append explained is an append made
        plan = result[0].Plan;
        if (i > 0) times.push(result[0]['Execution Time']); // the first one warms the cache
        return [{ tail_txid: null, tail_position: null, position: null }];
      },
    } as unknown as EntityManager;
    await call(manager, at).catch(() => undefined); // the fake answer is not what callers expect
  }
  const used = new Set<string>();
  let seqScan = false;
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] === 'event_log' && node['Node Type'] === 'Seq Scan') seqScan = true;
    if (node['Index Name']?.startsWith('event_log')) used.add(node['Index Name']);
    for (const child of node.Plans ?? []) walk(child);
  };
  if (plan) walk(plan);
  return { ms: median(times), indexes: [...used].sort(), seqScan };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** A markdown table: a row per statement, a column per schema. */
export function explainTable(rows: ExplainRow[]): string {
  const heads = rows[0].plans.map((plan) => (plan.without ? `without ${plan.without}` : 'all indexes'));
  const cell = (plan: ExplainRow['plans'][number]) =>
    `${plan.ms.toFixed(2)} ms: ${[...(plan.seqScan ? ['seq scan'] : []), ...plan.indexes.map((name) => name.replace(/^event_log_/, ''))].join(', ')}`;
  return [
    `| statement | ${heads.join(' | ')} |`,
    `| --- | ${heads.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.query} | ${row.plans.map(cell).join(' | ')} |`),
  ].join('\n');
}
