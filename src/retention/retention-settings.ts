import type { RetentionOptions } from '../backstop.options';

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

export function retentionSettings(options: RetentionOptions = {}): RetentionSettings {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...RETENTION_DEFAULTS, ...defined };
}
