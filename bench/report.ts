import { round } from './lib/stats';

export interface BenchFigures {
  hotKeyReact: number;
  hotKeyPrevent: number;
  hotKeyReactP50: number;
  hotKeyReactP99: number;
  hotKeyPreventP50: number;
  hotKeyPreventP99: number;
  remoteReact: number;
  remotePrevent: number;
  remoteReactP99: number;
  remotePreventP99: number;
  pingDirectMs: number;
  pingAddedMs: number;
  spreadReact: number;
  spreadPrevent: number;
  insertCeiling: number;
  detectionRate: number;
  detectionP50: number;
  detectionP95: number;
  detectionP99: number;
  detectionMax: number;
  detected: string;
  detectionCommandP99: number;
  catchUpEventsPerSecond: number;
  historyRatio: number;
  historyShortMs: number;
  historyLongMs: number;
  peakRssMb: number;
  appendsPerSecond: number;
  appendCeilingPerSecond: number;
}

interface Row {
  scenario: string;
  figure: string;
}

interface Target {
  figure: string;
  value: number;
  shown: string;
  target: string;
  met: boolean;
}

const n = (value: number, digits = 0) => round(value, digits).toLocaleString('en-US');
const ms = (value: number) => `${n(value, 1)} ms`;

export function rows(f: BenchFigures): Row[] {
  return [
    {
      scenario: '1. Hot key, react',
      figure: `${n(f.hotKeyReact)} cmd/s, p50 ${ms(f.hotKeyReactP50)}, p99 ${ms(f.hotKeyReactP99)}`,
    },
    {
      scenario: '1. Hot key, prevent',
      figure: `${n(f.hotKeyPrevent)} cmd/s, p50 ${ms(f.hotKeyPreventP50)}, p99 ${ms(f.hotKeyPreventP99)}`,
    },
    { scenario: '1. Hot key, react / prevent', figure: `${n(f.hotKeyReact / f.hotKeyPrevent, 2)}x` },
    {
      scenario: "1'. Hot key, database 1 ms away",
      figure:
        `react ${n(f.remoteReact)} cmd/s (p99 ${ms(f.remoteReactP99)}), ` +
        `prevent ${n(f.remotePrevent)} cmd/s (p99 ${ms(f.remotePreventP99)}): ` +
        `${n(f.remoteReact / f.remotePrevent, 2)}x; ` +
        `proxy adds ${n(f.pingAddedMs, 2)} ms to a SELECT 1 round trip of ${n(f.pingDirectMs, 2)} ms`,
    },
    {
      scenario: '2. Spread over many customers',
      figure: `react ${n(f.spreadReact)} cmd/s, prevent ${n(f.spreadPrevent)} cmd/s`,
    },
    { scenario: '3. Raw insert ceiling (pg pool of 32)', figure: `${n(f.insertCeiling)} tx/s` },
    {
      scenario: '4. Detection latency',
      figure:
        `at ${n(f.detectionRate)} cmd/s: p50 ${n(f.detectionP50, 1)} / p95 ${n(f.detectionP95, 1)} / ` +
        `p99 ${n(f.detectionP99, 1)} / max ${ms(f.detectionMax)} ` +
        `(${f.detected}; command p99 ${ms(f.detectionCommandP99)})`,
    },
    { scenario: '5. Catch-up', figure: `${n(f.catchUpEventsPerSecond)} events/s` },
    {
      scenario: '6. History 10 vs 10,000 orders',
      figure: `${n(f.historyShortMs, 2)} ms vs ${n(f.historyLongMs, 2)} ms`,
    },
    { scenario: '7. Peak RSS during 1-2', figure: `${n(f.peakRssMb)} MB` },
    {
      scenario: '8. Event-log append alone (32 at once, in-process)',
      figure: `${n(f.appendsPerSecond)} appends/s; raw insert the same way ${n(f.appendCeilingPerSecond)}/s`,
    },
  ];
}

/** The figures with a target, each a ratio to something measured in the same run where it says so. */
export function targets(f: BenchFigures): Target[] {
  const t = (figure: string, value: number, shown: string, target: string, met: (v: number) => boolean): Target => ({
    figure,
    value,
    shown,
    target,
    met: Number.isFinite(value) && met(value),
  });
  return [
    t(
      'spread CreateOrder over HTTP (react) / raw insert ceiling',
      f.spreadReact / f.insertCeiling,
      n(f.spreadReact / f.insertCeiling, 3),
      '>= 0.12',
      (v) => v >= 0.12,
    ),
    t(
      'hot key react / prevent, database 1 ms away',
      f.remoteReact / f.remotePrevent,
      `${n(f.remoteReact / f.remotePrevent, 2)}x`,
      '>= 3x',
      (v) => v >= 3,
    ),
    t(
      `detection p99 at ${n(f.detectionRate)} commands/s, open loop`,
      f.detectionP99,
      `${ms(f.detectionP99)} (command p99 ${ms(f.detectionCommandP99)})`,
      '<= 50 ms',
      (v) => v <= 50,
    ),
    t(
      'event-log append alone / raw insert ceiling',
      f.appendsPerSecond / f.appendCeilingPerSecond,
      n(f.appendsPerSecond / f.appendCeilingPerSecond, 2),
      '>= 0.5',
      (v) => v >= 0.5,
    ),
    t('catch-up events/s', f.catchUpEventsPerSecond, n(f.catchUpEventsPerSecond), '>= 40,000', (v) => v >= 40_000),
    t('peak RSS under load', f.peakRssMb, `${n(f.peakRssMb)} MB`, '<= 200 MB', (v) => v <= 200),
    t(
      'CreateOrder cost with 10,000 prior orders / with 10',
      f.historyRatio,
      n(f.historyRatio, 2),
      '<= 1.1',
      (v) => v <= 1.1,
    ),
  ];
}

export function markdown(f: BenchFigures, machine: string): string {
  return [
    `Machine: ${machine}`,
    '',
    '| scenario | result (median of runs) |',
    '| --- | --- |',
    ...rows(f).map((row) => `| ${row.scenario} | ${row.figure} |`),
    '',
    'Summary:',
    '',
    '| figure | measured | target | met |',
    '| --- | --- | --- | --- |',
    ...targets(f).map(
      (row) =>
        `| ${row.figure} | ${row.shown} | ${row.target} | ` +
        `${Number.isNaN(row.value) ? 'not run' : row.met ? 'yes' : 'no'} |`,
    ),
  ].join('\n');
}
