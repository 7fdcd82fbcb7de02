import type { RetentionOptions } from '../config/backstop.options';

export type RetentionSettings = Required<RetentionOptions>;

export const RETENTION_DEFAULTS: RetentionSettings = {
  commandIdsDays: 30,
  outboxDays: 30,
  mailDays: 30,
  violationsDays: 90,
  intervalMs: 300_000,
  batchSize: 1000,
  pauseMs: 100,
};

// A window of 0 (or a typo giving NaN) would delete every finished row on the first pass.
const RULES: Record<keyof RetentionSettings, [test: (value: number) => boolean, rule: string]> = {
  commandIdsDays: [(v) => v > 0, 'a number of days above 0'],
  outboxDays: [(v) => v > 0, 'a number of days above 0'],
  mailDays: [(v) => v > 0, 'a number of days above 0'],
  violationsDays: [(v) => v > 0, 'a number of days above 0'],
  intervalMs: [(v) => v >= 1, 'at least 1 ms'],
  batchSize: [(v) => Number.isInteger(v) && v >= 1 && v <= 10_000, 'an integer from 1 to 10000'],
  pauseMs: [(v) => v >= 0, 'not negative'],
};

/** The options with the defaults filled in; a value that makes no sense stops the start, naming the option. */
export function retentionSettings(options: RetentionOptions = {}): RetentionSettings {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const settings: RetentionSettings = { ...RETENTION_DEFAULTS, ...defined };
  for (const [name, [test, rule]] of Object.entries(RULES) as [
    keyof RetentionSettings,
    (typeof RULES)[keyof RetentionSettings],
  ][]) {
    const value = settings[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !test(value)) {
      throw new Error(`retention.${name} must be ${rule} (got ${JSON.stringify(value)})`);
    }
  }
  return settings;
}
