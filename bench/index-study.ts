import { BenchServer } from './lib/server';
import { BenchSettings } from './settings';
import { appendAlone } from './scenarios/append';
import { indexVariants } from './scenarios/event-log-indexes';
import { explainIndexes, explainTable } from './scenarios/explain';

/**
 * `npm run bench -- --indexes`: what each optional index on event_log
 * costs the append (A/B, phases interleaved in one run) and buys the
 * statements that read the log (EXPLAIN ANALYZE with and without it).
 */
export async function indexStudy(server: BenchServer, s: BenchSettings, log: (message: string) => void) {
  log(`EXPLAIN ANALYZE on a log of ${s.appendPriorEvents} events, with and without each optional index`);
  const explain = await explainIndexes(server, s.appendPriorEvents);
  log('append alone, one database per index variant, phases interleaved');
  const append = await appendAlone(server, {
    variants: indexVariants(),
    priorEvents: s.appendPriorEvents,
    phaseSeconds: s.appendPhaseSeconds,
    rounds: s.appendRounds,
  });
  const appendTable = [
    `Append alone into a log of ${append.priorEvents} events; ` +
      `raw insert the same way: ${Math.round(append.ceilingPerSecond)}/s`,
    '',
    '| schema | appends/s | / raw insert |',
    '| --- | --- | --- |',
    ...append.variants.map((v) => `| ${v.label} | ${Math.round(v.appendsPerSecond)} | ${v.ratio.toFixed(2)} |`),
  ].join('\n');
  return { text: `${explainTable(explain)}\n\n${appendTable}`, results: { explain, append } };
}
