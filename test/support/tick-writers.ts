import { DataSource } from 'typeorm';
import { EventLogService } from '../../src/event-log/event-log.service';

/**
 * Appends `total` Tick events from `writers` concurrent writers, each on its
 * own stream, keys spread over `keys`. Some transactions are held open for a
 * moment so that commits land out of position order.
 */
export async function writeTicks(
  dataSource: DataSource,
  options: { writers: number; total: number; keys: number; prefix?: string },
): Promise<void> {
  const log = new EventLogService(dataSource);
  const perWriter = Math.ceil(options.total / options.writers);
  const prefix = options.prefix ?? 'w';
  await Promise.all(
    Array.from({ length: options.writers }, async (_, writer) => {
      let version = 0;
      while (version < perWriter) {
        const size = Math.min(perWriter - version, 1 + ((version + writer) % 4));
        await dataSource.transaction(async (tx) => {
          await log.append(
            tx,
            { type: 'Ticker', id: `${prefix}-${writer}` },
            version,
            Array.from({ length: size }, (_, i) => ({
              type: 'Tick',
              payload: { key: `k-${(writer * 7 + version + i) % options.keys}` },
            })),
          );
          if (writer % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 3 + (version % 7)));
        });
        version += size;
      }
    }),
  );
}

/** Counts recorded by the counting saga and by its command effects, for checks. */
export async function tickTotals(dataSource: DataSource) {
  const [{ counted }] = await dataSource.query(
    `SELECT coalesce(sum((state->>'count')::int), 0)::int AS counted FROM saga_states WHERE saga = 'counting'`,
  );
  const [{ effects, distinct_events }] = await dataSource.query(
    `SELECT count(*)::int AS effects, count(DISTINCT event_id)::int AS distinct_events FROM tick_effects`,
  );
  return { counted, effects, distinctEvents: distinct_events };
}

/** Per key: events in the log vs the saga's count. Empty when they all agree. */
export async function keyMismatches(dataSource: DataSource): Promise<unknown[]> {
  return dataSource.query(`
    SELECT l.key, l.n AS logged, (s.state->>'count')::int AS counted
      FROM (SELECT payload->>'key' AS key, count(*)::int AS n FROM event_log WHERE event_type = 'Tick' GROUP BY 1) l
      LEFT JOIN saga_states s ON s.saga = 'counting' AND s.key = l.key
     WHERE s.state IS NULL OR (s.state->>'count')::int <> l.n`);
}
