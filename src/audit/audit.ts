import { DataSource } from 'typeorm';

export type Verdict = 'ok' | 'open' | 'MISS' | 'STALE';

export interface AuditRow {
  invariant: 'credit-limit' | 'coupon-usage';
  key: string;
  actual: number;
  allowed: number;
  openViolationId: string | null;
  verdict: Verdict;
}

export interface AuditReport {
  checked: { customers: number; coupons: number };
  rows: AuditRow[];
  problems: AuditRow[];
}

/**
 * Recomputes both invariants for every key from the current rows and
 * compares with the open episodes: a breach with no open episode is a MISS,
 * an open episode that no longer breaches is STALE. Run it when the sagas
 * are caught up; while they work, a fresh breach may not have its episode yet.
 */
export async function audit(dataSource: DataSource, creditTolerance: number): Promise<AuditReport> {
  const credit: { key: string; actual: string; allowed: string; violation_id: string | null }[] =
    await dataSource.query(
      `SELECT c.id AS key,
            coalesce((SELECT sum(o.total - o.discount) FROM orders o WHERE o.customer_id = c.id AND o.status = 'open'), 0)::text AS actual,
            (c.credit_limit + $1)::text AS allowed,
            (SELECT v.id::text FROM violations v WHERE v.invariant = 'credit-limit' AND v.key = c.id AND v.status = 'open') AS violation_id
       FROM customers c ORDER BY c.id`,
      [creditTolerance],
    );
  const coupons: { key: string; actual: string; allowed: string; violation_id: string | null }[] =
    await dataSource.query(
      `SELECT k.id AS key,
            (SELECT count(*) FROM orders o WHERE o.coupon_id = k.id AND o.status <> 'cancelled')::text AS actual,
            (k.max_uses + k.allowed_overbooking)::text AS allowed,
            (SELECT v.id::text FROM violations v WHERE v.invariant = 'coupon-usage' AND v.key = k.id AND v.status = 'open') AS violation_id
       FROM coupons k ORDER BY k.id`,
    );
  const judge =
    (invariant: AuditRow['invariant']) =>
    (row: (typeof credit)[number]): AuditRow => {
      const actual = Number(row.actual);
      const allowed = Number(row.allowed);
      const breached = actual > allowed;
      const open = row.violation_id !== null;
      const verdict: Verdict = breached ? (open ? 'open' : 'MISS') : open ? 'STALE' : 'ok';
      return { invariant, key: row.key, actual, allowed, openViolationId: row.violation_id, verdict };
    };
  const rows = [...credit.map(judge('credit-limit')), ...coupons.map(judge('coupon-usage'))];
  return {
    checked: { customers: credit.length, coupons: coupons.length },
    rows,
    problems: rows.filter((row) => row.verdict === 'MISS' || row.verdict === 'STALE'),
  };
}

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
    `checked ${report.checked.customers} customer(s) and ${report.checked.coupons} coupon(s): ` +
    `${shown.length - report.problems.length} breach(es) with an open episode, ${misses} miss(es), ${stale} stale episode(s)`
  );
}
