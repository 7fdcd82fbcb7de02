import { createHash } from 'node:crypto';
import { SagaLag } from '../metrics/metrics-collector';
import { ParkedKey } from '../sagas/parked-keys';
import { PartitionRow } from '../sagas/saga-store';
import { escapeHtml } from '../shared/escape-html';
import { ViolationView } from '../violations/violation.view';

export interface InvariantSummary {
  name: string;
  key: string;
  strategy: string;
  reactions: string[];
  tolerance: number | null;
  /** Shown when there is no single tolerance (e.g. 'per coupon'). */
  toleranceLabel?: string;
  openViolations: number;
}

export interface DashboardData {
  invariants: InvariantSummary[];
  violations: ViolationView[];
  lag: SagaLag[];
  partitions: PartitionRow[];
  parked: ParkedKey[];
  outbox: { commands: number; mails: number; failingMails: number };
  generatedAt: Date;
  refreshSeconds: number;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}h1{margin:0 0 .2rem}h2{margin-top:1.6rem}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f3f3f3}.open{color:#b00;font-weight:bold}.resolved{color:#070}
.stopped{color:#b00;font-weight:bold}.muted{color:#777}
`;

/**
 * The page's policy: its one style block, by hash, and nothing else; no
 * script, no frames around it, no forms. A value that slipped past escaping
 * could still not load or run anything. The refresh is a meta tag, which CSP
 * does not govern.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const e = (value: unknown) => escapeHtml(value === null || value === undefined ? '' : String(value));
const time = (value: Date | string | null) =>
  value ? new Date(value).toISOString().replace('T', ' ').slice(0, 23) : '';
const table = (head: string[], rows: string[][], id: string) =>
  `<table id="${id}"><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.length
      ? rows.map((row) => `<tr>${row.join('')}</tr>`).join('')
      : `<tr><td colspan="${head.length}">none</td></tr>`
  }</tbody></table>`;
const cell = (value: unknown, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${e(value)}</td>`;

function details(values: Record<string, unknown>): string {
  const lines = Object.entries(values).map(
    ([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
  );
  return `<td>${lines.map((line) => `<div>${e(line)}</div>`).join('')}</td>`;
}

function reactions(violation: ViolationView): string {
  const commands = violation.reactions.commands.map((c) => `${c.type} ${c.orderId ?? ''}: ${c.status}`);
  const mails = violation.reactions.mails.map(
    (m) => `mail ${m.kind}: ${m.status}${m.lastError ? ` (${m.lastError})` : ''}`,
  );
  return `<td>${[...commands, ...mails].map((line) => `<div>${e(line)}</div>`).join('') || 'none'}</td>`;
}

/** The operators' page: server-rendered, every value escaped, refreshing itself. */
const stoppedPartition = (p: DashboardData['partitions'][number]) =>
  `<span class="stopped">partition ${e(p.saga)}/${e(p.partition)} stopped at position ${e(p.failedPosition)}: ` +
  `${e(p.lastError)}</span>`;

const failing = (data: DashboardData) =>
  data.outbox.failingMails ? `, <span class="stopped">${e(data.outbox.failingMails)} mail(s) failing</span>` : '';

export function renderDashboard(data: DashboardData): string {
  const stopped = data.partitions.filter((p) => p.status === 'stopped');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${data.refreshSeconds}">
<title>Backstop</title>
<style>${STYLE}</style></head><body>
<h1>Backstop</h1>
<div class="muted">invariants that span aggregates, enforced by minimize-and-react
&middot; ${e(time(data.generatedAt))} UTC &middot; refreshes every ${data.refreshSeconds} s</div>
<h2>Invariants</h2>
${table(
  ['invariant', 'key', 'strategy', 'reactions', 'tolerance', 'open episodes'],
  data.invariants.map((i) => [
    cell(i.name),
    cell(i.key),
    cell(i.strategy),
    cell(i.reactions.join(', ') || 'none'),
    cell(i.tolerance ?? i.toleranceLabel ?? 'per key'),
    cell(i.openViolations, i.openViolations ? 'open' : ''),
  ]),
  'invariants',
)}
<h2>Sagas</h2>
${table(
  ['saga', 'events behind', 'oldest unprocessed (s)'],
  data.lag.map((l) => [cell(l.saga), cell(l.events), cell(Math.round(l.seconds * 10) / 10)]),
  'lag',
)}
<p>${stopped.length ? stopped.map(stoppedPartition).join('<br>') : 'All partitions running.'}
Outbox: ${e(data.outbox.commands)} command(s) and ${e(data.outbox.mails)} mail(s) pending${failing(data)}.</p>
<h2>Parked keys</h2>
<p class="muted">Events a saga could not process park their key; the key's later events wait behind it,
every other key goes on. Retry or skip with the admin calls (see the README).</p>
${table(
  ['saga', 'key', 'partition', 'waiting behind position', 'failures', 'parked', 'error'],
  data.parked.map((k) => [
    cell(k.saga),
    cell(k.key, 'stopped'),
    cell(k.partition),
    cell(k.head.position),
    cell(k.failures),
    cell(time(k.parkedAt)),
    cell(k.error),
  ]),
  'parked',
)}
<h2>Violations (open first, then recent)</h2>
${table(
  ['violation', 'invariant', 'key', 'status', 'detected', 'resolved', 'details', 'reactions'],
  data.violations.map((v) => [
    cell(v.id),
    cell(v.invariant),
    cell(v.key),
    cell(v.status, v.status),
    cell(time(v.detectedAt)),
    cell(time(v.resolvedAt)),
    details(v.details),
    reactions(v),
  ]),
  'violations',
)}
</body></html>`;
}
