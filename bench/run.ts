import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '../test/support/service-process';
import { indexStudy } from './index-study';
import { benchServer, BenchServer } from './lib/server';
import { median } from './lib/stats';
import { BenchFigures, markdown } from './report';
import { benchArgs, benchSettings, BenchSettings } from './settings';
import { appendAlone } from './scenarios/append';
import { catchUp } from './scenarios/catch-up';
import { insertCeiling } from './scenarios/ceiling';
import { detectionLatency } from './scenarios/detection';
import { AS_MIGRATED } from './scenarios/event-log-indexes';
import { historyCost } from './scenarios/history';
import { remoteHotKeyRun, RemoteRun } from './scenarios/remote-database';
import { throughputRun, ThroughputRun } from './scenarios/throughput';

const args = benchArgs(process.argv);
const settings = benchSettings(args.quick);
const outDir = resolve(args.out ?? join(projectRoot(), 'bench', 'results'));
const began = performance.now();
const log = (message: string) =>
  console.error(`[bench] ${((performance.now() - began) / 1000).toFixed(1).padStart(6)} s  ${message}`);

async function scenarios(server: BenchServer, s: BenchSettings) {
  const runs: ThroughputRun[] = [];
  const remote: RemoteRun[] = [];
  const ceilings: number[] = [];
  for (let rep = 1; rep <= s.reps; rep++) {
    for (const strategy of ['react', 'prevent'] as const) {
      if (args.runs('throughput')) {
        log(`throughput, ${strategy}, run ${rep}/${s.reps}`);
        runs.push(await throughputRun(server, strategy, s));
      }
      if (args.runs('remote')) {
        log(`hot key, database 1 ms away, ${strategy}, run ${rep}/${s.reps}`);
        remote.push(await remoteHotKeyRun(server, strategy, s));
      }
    }
    if (args.runs('throughput')) {
      log(`insert ceiling, run ${rep}/${s.reps}`);
      ceilings.push(await insertCeiling(server, s.seconds));
    }
  }
  const step = async <T>(name: Parameters<typeof args.runs>[0], what: string, run: () => Promise<T>) => {
    if (!args.runs(name)) return undefined;
    log(what);
    return run();
  };
  const detection = await step('detection', `detection latency at ${s.rate} commands/s`, () =>
    detectionLatency(server, s.rate, s.detectionSeconds),
  );
  const caughtUp = await step('catch-up', `catch-up of ${s.catchUpEvents} events`, () =>
    catchUp(server, s.catchUpEvents),
  );
  const history = await step('history', 'cost as history grows', () => historyCost(server, s.historyRequests));
  const append = await step('append', 'event-log append alone', () =>
    appendAlone(server, {
      variants: [AS_MIGRATED],
      priorEvents: s.appendPriorEvents,
      phaseSeconds: s.appendPhaseSeconds,
      rounds: s.appendRounds,
    }),
  );
  return { runs, remote, ceilings, detection, catchUp: caughtUp, history, append };
}

type Results = Awaited<ReturnType<typeof scenarios>>;

function figuresOf(r: Results, s: BenchSettings): BenchFigures {
  const of = <R extends { strategy: string }>(list: R[], strategy: string, pick: (run: R) => number) =>
    median(list.filter((run) => run.strategy === strategy).map(pick));
  return {
    hotKeyReact: of(r.runs, 'react', (run) => run.hotKey.requestsPerSecond),
    hotKeyPrevent: of(r.runs, 'prevent', (run) => run.hotKey.requestsPerSecond),
    hotKeyReactP50: of(r.runs, 'react', (run) => run.hotKey.p50Ms),
    hotKeyReactP99: of(r.runs, 'react', (run) => run.hotKey.p99Ms),
    hotKeyPreventP50: of(r.runs, 'prevent', (run) => run.hotKey.p50Ms),
    hotKeyPreventP99: of(r.runs, 'prevent', (run) => run.hotKey.p99Ms),
    remoteReact: of(r.remote, 'react', (run) => run.hotKey.requestsPerSecond),
    remotePrevent: of(r.remote, 'prevent', (run) => run.hotKey.requestsPerSecond),
    remoteReactP99: of(r.remote, 'react', (run) => run.hotKey.p99Ms),
    remotePreventP99: of(r.remote, 'prevent', (run) => run.hotKey.p99Ms),
    pingDirectMs: median(r.remote.map((run) => run.ping.directMs)),
    pingAddedMs: median(r.remote.map((run) => run.ping.addedMs)),
    spreadReact: of(r.runs, 'react', (run) => run.spread.requestsPerSecond),
    spreadPrevent: of(r.runs, 'prevent', (run) => run.spread.requestsPerSecond),
    insertCeiling: median(r.ceilings),
    detectionRate: s.rate,
    detectionP50: r.detection?.p50Ms ?? NaN,
    detectionP95: r.detection?.p95Ms ?? NaN,
    detectionP99: r.detection?.p99Ms ?? NaN,
    detectionMax: r.detection?.maxMs ?? NaN,
    detected: r.detection
      ? `${r.detection.detected} of ${r.detection.breaches} breaches, ${r.detection.commands} commands`
      : 'not run',
    detectionCommandP99: r.detection?.commandP99Ms ?? NaN,
    catchUpEventsPerSecond: r.catchUp?.eventsPerSecond ?? NaN,
    historyRatio: r.history?.ratio ?? NaN,
    historyShortMs: r.history?.shortHistoryMs ?? NaN,
    historyLongMs: r.history?.longHistoryMs ?? NaN,
    peakRssMb: r.runs.length ? Math.max(...r.runs.map((run) => run.peakRssMb)) : NaN,
    appendsPerSecond: r.append?.variants[0].appendsPerSecond ?? NaN,
    appendCeilingPerSecond: r.append?.ceilingPerSecond ?? NaN,
  };
}

async function write(kind: string, report: object): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(outDir, `${kind}-${stamp}.json`);
  await writeFile(file, JSON.stringify(report, null, 2));
  await writeFile(
    join(outDir, kind === 'full' ? 'latest.json' : `latest-${kind}.json`),
    JSON.stringify(report, null, 2),
  );
  log(`results written to ${file}`);
}

async function main(): Promise<void> {
  const server = await benchServer();
  const machine =
    `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} ` +
    `GiB, PostgreSQL ${server.version}, Node ${process.version}`;
  const kind = args.indexes ? (args.quick ? 'indexes-quick' : 'indexes') : args.quick ? 'quick' : 'full';
  log(`${kind} run on ${machine}`);
  try {
    if (args.indexes) {
      const study = await indexStudy(server, settings, log);
      console.log(`Machine: ${machine}\n\n${study.text}`);
      return await write(kind, { machine, settings, ...study.results, at: new Date().toISOString() });
    }
    const results = await scenarios(server, settings);
    const figures = figuresOf(results, settings);
    console.log(markdown(figures, machine));
    await write(kind, { quick: args.quick, machine, settings, figures, ...results, at: new Date().toISOString() });
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
