import { round } from './lib/stats';

export interface BenchFigures {
  hotKeyReact: number;
  hotKeyPrevent: number;
  hotKeyReactP50: number;
  hotKeyReactP99: number;
  hotKeyPreventP50: number;
  hotKeyPreventP99: number;
  spreadReact: number;
  spreadPrevent: number;
  insertCeiling: number;
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
}

interface Row {
  scenario: string;
  figure: string;
  target: string;
  met: boolean | null;
}

const n = (value: number, digits = 0) => round(value, digits).toLocaleString('en-US');

export function rows(f: BenchFigures): Row[] {
  const ratio = f.hotKeyReact / f.hotKeyPrevent;
  const fraction = f.spreadReact / f.insertCeiling;
  return [
    {
      scenario: '1. Hot key, react',
      figure: `${n(f.hotKeyReact)} cmd/s, p50 ${n(f.hotKeyReactP50, 1)} ms, p99 ${n(f.hotKeyReactP99, 1)} ms`,
      target: '',
      met: null,
    },
    {
      scenario: '1. Hot key, prevent',
      figure: `${n(f.hotKeyPrevent)} cmd/s, p50 ${n(f.hotKeyPreventP50, 1)} ms, p99 ${n(f.hotKeyPreventP99, 1)} ms`,
      target: '',
      met: null,
    },
    { scenario: '1. Hot key, react / prevent', figure: `${n(ratio, 2)}x`, target: '>= 3x', met: ratio >= 3 },
    {
      scenario: '2. Spread over 1,000 customers',
      figure: `react ${n(f.spreadReact)} cmd/s, prevent ${n(f.spreadPrevent)} cmd/s`,
      target: '',
      met: null,
    },
    {
      scenario: '3. Raw insert ceiling (pg pool of 32)',
      figure: `${n(f.insertCeiling)} tx/s; spread react = ${n(fraction * 100, 1)}% of it`,
      target: '>= 30%',
      met: fraction >= 0.3,
    },
    {
      scenario: '4. Detection latency',
      figure:
        `p50 ${n(f.detectionP50, 1)} / p95 ${n(f.detectionP95, 1)} / p99 ${n(f.detectionP99, 1)} / ` +
        `max ${n(f.detectionMax, 1)} ms (${f.detected}; command p99 ${n(f.detectionCommandP99, 1)} ms)`,
      target: 'p99 <= 50 ms',
      met: f.detectionP99 <= 50,
    },
    {
      scenario: '5. Catch-up',
      figure: `${n(f.catchUpEventsPerSecond)} events/s`,
      target: '>= 20,000',
      met: f.catchUpEventsPerSecond >= 20_000,
    },
    {
      scenario: '6. History 10 vs 10,000 orders',
      figure: `${n(f.historyShortMs, 2)} ms vs ${n(f.historyLongMs, 2)} ms: ratio ${n(f.historyRatio, 2)}`,
      target: '<= 1.2',
      met: f.historyRatio <= 1.2,
    },
    {
      scenario: '7. Peak RSS during 1-2',
      figure: `${n(f.peakRssMb)} MB`,
      target: '<= 250 MB',
      met: f.peakRssMb <= 250,
    },
  ];
}

export function markdown(f: BenchFigures, machine: string): string {
  const lines = [
    `Machine: ${machine}`,
    '',
    '| scenario | result (median of runs) | target | met |',
    '| --- | --- | --- | --- |',
    ...rows(f).map(
      (row) =>
        `| ${row.scenario} | ${row.figure} | ${row.target} | ${row.met === null ? '' : row.met ? 'yes' : 'no'} |`,
    ),
  ];
  return lines.join('\n');
}
