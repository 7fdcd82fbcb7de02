import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../test/support/service-process';
import { benchServer } from './lib/server';
import { median } from './lib/stats';
import { BenchFigures, markdown } from './report';
import { catchUp } from './scenarios/catch-up';
import { insertCeiling } from './scenarios/ceiling';
import { detectionLatency } from './scenarios/detection';
import { historyCost } from './scenarios/history';
import { throughputRun, ThroughputRun } from './scenarios/throughput';

const quick = process.argv.includes('--quick');
const outIndex = process.argv.indexOf('--out');
const outDir = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(projectRoot(), 'bench', 'results'));

const settings = quick
  ? {
      reps: 1,
      seconds: 2,
      warmupSeconds: 0.5,
      customers: 200,
      rate: 200,
      detectionSeconds: 3,
      catchUpEvents: 10_000,
      historyRequests: 60,
    }
  : {
      reps: 3,
      seconds: 10,
      warmupSeconds: 3,
      customers: 1_000,
      rate: 500,
      detectionSeconds: 10,
      catchUpEvents: 200_000,
      historyRequests: 300,
    };

const log = (message: string) => console.error(`[bench] ${message}`);

async function main(): Promise<void> {
  const server = await benchServer();
  const machine =
    `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} ` +
    `GiB, PostgreSQL ${server.version}, Node ${process.version}`;
  log(`${quick ? 'quick' : 'full'} run on ${machine}`);
  try {
    const runs: ThroughputRun[] = [];
    const ceilings: number[] = [];
    for (let rep = 1; rep <= settings.reps; rep++) {
      for (const strategy of ['react', 'prevent'] as const) {
        log(`throughput, ${strategy}, run ${rep}/${settings.reps}`);
        runs.push(await throughputRun(server, strategy, settings));
      }
      log(`insert ceiling, run ${rep}/${settings.reps}`);
      ceilings.push(await insertCeiling(server, settings.seconds));
    }
    log(`detection latency at ${settings.rate} commands/s`);
    const detection = await detectionLatency(server, settings.rate, settings.detectionSeconds);
    log(`catch-up of ${settings.catchUpEvents} events`);
    const caughtUp = await catchUp(server, settings.catchUpEvents);
    log('cost as history grows');
    const history = await historyCost(server, settings.historyRequests);

    const of = (strategy: string, pick: (run: ThroughputRun) => number) =>
      median(runs.filter((r) => r.strategy === strategy).map(pick));
    const figures: BenchFigures = {
      hotKeyReact: of('react', (r) => r.hotKey.requestsPerSecond),
      hotKeyPrevent: of('prevent', (r) => r.hotKey.requestsPerSecond),
      hotKeyReactP50: of('react', (r) => r.hotKey.p50Ms),
      hotKeyReactP99: of('react', (r) => r.hotKey.p99Ms),
      hotKeyPreventP50: of('prevent', (r) => r.hotKey.p50Ms),
      hotKeyPreventP99: of('prevent', (r) => r.hotKey.p99Ms),
      spreadReact: of('react', (r) => r.spread.requestsPerSecond),
      spreadPrevent: of('prevent', (r) => r.spread.requestsPerSecond),
      insertCeiling: median(ceilings),
      detectionP50: detection.p50Ms,
      detectionP95: detection.p95Ms,
      detectionP99: detection.p99Ms,
      detectionMax: detection.maxMs,
      detected: `${detection.detected} of ${detection.breaches} breaches, ${detection.commands} commands`,
      detectionCommandP99: detection.commandP99Ms,
      catchUpEventsPerSecond: caughtUp.eventsPerSecond,
      historyRatio: history.ratio,
      historyShortMs: history.shortHistoryMs,
      historyLongMs: history.longHistoryMs,
      peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    };
    const table = markdown(figures, machine);
    console.log(table);
    await mkdir(outDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const report = {
      quick,
      machine,
      settings,
      figures,
      runs,
      ceilings,
      detection,
      catchUp: caughtUp,
      history,
      at: new Date().toISOString(),
    };
    const file = join(outDir, `${quick ? 'quick' : 'full'}-${stamp}.json`);
    await writeFile(file, JSON.stringify(report, null, 2));
    await writeFile(join(outDir, quick ? 'latest-quick.json' : 'latest.json'), JSON.stringify(report, null, 2));
    log(`results written to ${file}`);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
