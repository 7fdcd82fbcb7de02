import { DataSource } from 'typeorm';
import { Invariant, judge } from '../invariants/define-invariant';
import { InvariantSettings } from '../invariants/invariant-settings';

export type Verdict = 'ok' | 'open' | 'MISS' | 'STALE';

export interface AuditRow {
  invariant: string;
  key: string;
  actual: number;
  allowed: number;
  openViolationId: string | null;
  verdict: Verdict;
}

export interface AuditReport {
  /** Keys checked per invariant, with the noun they are counted in (e.g. 'customer(s)'). */
  checked: { invariant: string; noun: string; count: number }[];
  rows: AuditRow[];
  problems: AuditRow[];
}

/**
 * Recomputes every declared invariant for every key from the current rows
 * (each declaration's audit SQL, judged by its own rule) and compares with
 * the open episodes: a breach with no open episode is a MISS, an open
 * episode that no longer breaches is STALE. Run it when the sagas are caught
 * up; while they work, a fresh breach may not have its episode yet.
 */
export async function audit(
  dataSource: DataSource,
  invariants: readonly Invariant[],
  settings: InvariantSettings,
): Promise<AuditReport> {
  const rows: AuditRow[] = [];
  const checked: AuditReport['checked'] = [];
  for (const invariant of invariants) {
    const current: Record<string, string>[] = await dataSource.query(invariant.audit.sql);
    const open: { key: string; id: string }[] = await dataSource.query(
      `SELECT key, id::text AS id FROM violations WHERE invariant = $1 AND status = 'open'`,
      [invariant.name],
    );
    const openByKey = new Map(open.map((row) => [row.key, row.id]));
    const { tolerance } = settings.of(invariant.name);
    for (const row of current) {
      const { breached, actual, allowed } = judge(invariant.check, invariant.audit.figures(row), tolerance);
      const openViolationId = openByKey.get(String(row.key)) ?? null;
      const verdict: Verdict = breached ? (openViolationId ? 'open' : 'MISS') : openViolationId ? 'STALE' : 'ok';
      rows.push({ invariant: invariant.name, key: String(row.key), actual, allowed, openViolationId, verdict });
    }
    checked.push({ invariant: invariant.name, noun: invariant.audit.noun, count: current.length });
  }
  return { checked, rows, problems: rows.filter((row) => row.verdict === 'MISS' || row.verdict === 'STALE') };
}

const sentence = (parts: string[]) =>
  parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;

/** The report as a table: every breach or open episode, then a summary line. */
export function formatReport(report: AuditReport): string {
  const shown = report.rows.filter((row) => row.verdict !== 'ok');
  const header = ['invariant', 'key', 'actual', 'allowed', 'open episode', 'verdict'];
  const lines = shown.map((row) => [
    row.invariant,
    row.key,
    String(row.actual),
    String(row.allowed),
    row.openViolationId ?? '-',
    row.verdict,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const table = shown.length
    ? [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n') + '\n'
    : '';
  const misses = report.problems.filter((row) => row.verdict === 'MISS').length;
  const stale = report.problems.length - misses;
  return (
    table +
    `checked ${sentence(report.checked.map((c) => `${c.count} ${c.noun}`))}: ` +
    `${shown.length - report.problems.length} breach(es) with an ` +
    `open episode, ${misses} miss(es), ${stale} stale episode(s)`
  );
}
