import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

import { INVARIANT_NAMES } from './backstop.options';
import { ConfigurationError } from './configuration-error';
import { readInvariantEnvironment } from './invariant-environment';
import { LOG_LEVELS, STRATEGIES } from './setting-lists';
import type { LogLevelName } from './setting-lists';

export { logLevelsFrom, parseOrigins, parseReactions, parseSagaPartitions, REACTIONS } from './setting-lists';
export { LOG_LEVELS, STRATEGIES };
export type { LogLevelName, Reaction, Strategy } from './setting-lists';

// saga=count pairs, counts 1 to 1024.
const PARTITION_COUNT = '([1-9]\\d{0,2}|10[01]\\d|102[0-4])';
const SAGA_PARTITION_LIST = new RegExp(
  `^\\s*([A-Za-z0-9_.:-]+\\s*=\\s*${PARTITION_COUNT}\\s*(,\\s*[A-Za-z0-9_.:-]+\\s*=\\s*${PARTITION_COUNT}\\s*)*)?$`,
);
const EMAIL_LIST = /^\s*[^\s,@]+@[^\s,@]+(\s*,\s*[^\s,@]+@[^\s,@]+)*\s*$/;
const ORIGIN_LIST = /^\s*https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*\s*$/;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every variable the service reads. Values arrive as strings; integers are
 * converted only when they are written as plain integers so that `PORT=3e3`
 * or `PORT=abc` is refused instead of silently coerced.
 */
export class Environment {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message: 'DATABASE_URL must be a postgres:// URL, e.g. postgres://user:pass@host:5432/db',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional()
  @Matches(EMAIL_LIST, { message: 'ALERT_TO must be a comma-separated list of email addresses' })
  ALERT_TO?: string;

  @IsOptional()
  @IsEmail({ allow_display_name: true, require_tld: false }, { message: 'ALERT_FROM must be an email address' })
  ALERT_FROM: string = 'Backstop <backstop@localhost>';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0, { message: 'PORT must be between 0 and 65535' })
  @Max(65535, { message: 'PORT must be between 0 and 65535' })
  PORT: number = 3000;

  @IsIn(['development', 'production', 'test'], { message: 'NODE_ENV must be development, production or test' })
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** Required with NODE_ENV=production for the dashboard, /violations and admin calls. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  /** Requests per minute per client address to the admin routes together; 0 turns the limit off. */
  @Transform(toInt)
  @IsInt({ message: 'ADMIN_RATE_LIMIT must be an integer number of requests per minute' })
  @Min(0, { message: 'ADMIN_RATE_LIMIT must not be negative (0 turns it off)' })
  @Max(1_000_000, { message: 'ADMIN_RATE_LIMIT must be at most 1000000' })
  ADMIN_RATE_LIMIT: number = 60;

  /** Largest request body; a larger one is answered 413. */
  @Transform(toInt)
  @IsInt({ message: 'BODY_LIMIT_BYTES must be an integer number of bytes' })
  @Min(1024, { message: 'BODY_LIMIT_BYTES must be at least 1024' })
  @Max(100 * 1024 * 1024, { message: 'BODY_LIMIT_BYTES must be at most 104857600 (100 MiB)' })
  BODY_LIMIT_BYTES: number = 100 * 1024;

  /** Origins (scheme://host[:port]) whose browser pages may call the API. Unset: no CORS. */
  @IsOptional()
  @Matches(ORIGIN_LIST, {
    message: 'CORS_ORIGINS must be a comma list of origins like https://ops.example.com (no path, no trailing slash)',
  })
  CORS_ORIGINS?: string;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevelName = 'log';

  @Transform(toInt)
  @IsInt({ message: 'OUTBOX_LEASE_MS must be an integer number of milliseconds' })
  @Min(1000, { message: 'OUTBOX_LEASE_MS must be at least 1000' })
  @Max(3_600_000, { message: 'OUTBOX_LEASE_MS must be at most 3600000' })
  OUTBOX_LEASE_MS: number = 30_000;

  @Transform(toInt)
  @IsInt({ message: 'SAGA_LEASE_MS must be an integer number of milliseconds' })
  @Min(2000, { message: 'SAGA_LEASE_MS must be at least 2000' })
  @Max(600_000, { message: 'SAGA_LEASE_MS must be at most 600000' })
  SAGA_LEASE_MS: number = 10_000;

  @Transform(toInt)
  @IsInt({ message: 'SMTP_CONNECTION_TIMEOUT_MS must be an integer number of milliseconds' })
  @Min(1, { message: 'SMTP_CONNECTION_TIMEOUT_MS must be at least 1' })
  SMTP_CONNECTION_TIMEOUT_MS: number = 5_000;

  @Transform(toInt)
  @IsInt({ message: 'SMTP_GREETING_TIMEOUT_MS must be an integer number of milliseconds' })
  @Min(1, { message: 'SMTP_GREETING_TIMEOUT_MS must be at least 1' })
  SMTP_GREETING_TIMEOUT_MS: number = 5_000;

  @Transform(toInt)
  @IsInt({ message: 'SMTP_SOCKET_TIMEOUT_MS must be an integer number of milliseconds' })
  @Min(1, { message: 'SMTP_SOCKET_TIMEOUT_MS must be at least 1' })
  SMTP_SOCKET_TIMEOUT_MS: number = 10_000;

  @Transform(toInt)
  @IsInt({ message: 'READ_HORIZON_WARN_SECONDS must be an integer number of seconds' })
  @Min(1, { message: 'READ_HORIZON_WARN_SECONDS must be at least 1' })
  READ_HORIZON_WARN_SECONDS: number = 60;

  @Transform(toInt)
  @IsInt({ message: 'PG_IDLE_IN_TRANSACTION_TIMEOUT_MS must be an integer number of milliseconds' })
  @Min(0, { message: 'PG_IDLE_IN_TRANSACTION_TIMEOUT_MS must not be negative (0 turns it off)' })
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: number = 10_000;

  /** Retention, in days per kind: older finished rows are deleted by the workers (the event log is kept). */
  @Transform(toInt)
  @IsInt({ message: 'RETENTION_COMMAND_IDS_DAYS must be an integer number of days' })
  @Min(1, { message: 'RETENTION_COMMAND_IDS_DAYS must be at least 1 (day)' })
  @Max(36_500, { message: 'RETENTION_COMMAND_IDS_DAYS must be at most 36500 (days)' })
  RETENTION_COMMAND_IDS_DAYS: number = 30;

  @Transform(toInt)
  @IsInt({ message: 'RETENTION_OUTBOX_DAYS must be an integer number of days' })
  @Min(1, { message: 'RETENTION_OUTBOX_DAYS must be at least 1 (day)' })
  @Max(36_500, { message: 'RETENTION_OUTBOX_DAYS must be at most 36500 (days)' })
  RETENTION_OUTBOX_DAYS: number = 30;

  @Transform(toInt)
  @IsInt({ message: 'RETENTION_MAIL_DAYS must be an integer number of days' })
  @Min(1, { message: 'RETENTION_MAIL_DAYS must be at least 1 (day)' })
  @Max(36_500, { message: 'RETENTION_MAIL_DAYS must be at most 36500 (days)' })
  RETENTION_MAIL_DAYS: number = 30;

  @Transform(toInt)
  @IsInt({ message: 'RETENTION_VIOLATIONS_DAYS must be an integer number of days' })
  @Min(1, { message: 'RETENTION_VIOLATIONS_DAYS must be at least 1 (day)' })
  @Max(36_500, { message: 'RETENTION_VIOLATIONS_DAYS must be at most 36500 (days)' })
  RETENTION_VIOLATIONS_DAYS: number = 90;

  @Transform(toInt)
  @IsInt({ message: 'RETENTION_INTERVAL_SECONDS must be an integer number of seconds' })
  @Min(1, { message: 'RETENTION_INTERVAL_SECONDS must be at least 1' })
  @Max(86_400, { message: 'RETENTION_INTERVAL_SECONDS must be at most 86400' })
  RETENTION_INTERVAL_SECONDS: number = 300;

  @Transform(toInt)
  @IsInt({ message: 'RETENTION_BATCH_SIZE must be an integer number of rows' })
  @Min(1, { message: 'RETENTION_BATCH_SIZE must be at least 1' })
  @Max(10_000, { message: 'RETENTION_BATCH_SIZE must be at most 10000' })
  RETENTION_BATCH_SIZE: number = 1000;

  /** `false` runs the HTTP API only: no sagas or outbox workers in this instance. */
  @IsIn(['true', 'false'], { message: 'RUN_WORKERS must be true or false' })
  RUN_WORKERS: 'true' | 'false' = 'true';

  /**
   * Partition count per saga, overriding its declaration. It must match the
   * count stored in the database; change it with `npm run sagas:repartition`.
   */
  @IsOptional()
  @Matches(SAGA_PARTITION_LIST, {
    message: 'SAGA_PARTITIONS must be a comma list of saga=count, counts 1 to 1024, e.g. credit-limit=8',
  })
  SAGA_PARTITIONS?: string;

  /** Where the embedded database and the .eml mail files live. */
  @IsString()
  @MinLength(1, { message: 'BACKSTOP_HOME must not be empty' })
  BACKSTOP_HOME: string = '.backstop';

  @Transform(toInt)
  @IsInt({ message: 'EMBEDDED_PG_PORT must be an integer' })
  @Min(1, { message: 'EMBEDDED_PG_PORT must be between 1 and 65535' })
  @Max(65535, { message: 'EMBEDDED_PG_PORT must be between 1 and 65535' })
  EMBEDDED_PG_PORT: number = 54329;
}

export { ConfigurationError };

/**
 * Validates the process environment. Used by @nestjs/config's `validate` hook
 * and by main.ts before anything starts, so a bad value never gets as far as
 * starting a database.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => `${message} (got ${JSON.stringify(error.value)})`),
  );
  // The built-ins' <NAME>_* variables are read by name like any invariant's; checked here too, before any database.
  for (const name of INVARIANT_NAMES) problems.push(...readInvariantEnvironment(name, raw).problems);
  if (problems.length === 0) problems.push(...crossChecks(env));
  if (problems.length > 0) throw new ConfigurationError(problems);
  return env;
}

/** Rules between variables, checked once each one is valid on its own. */
function crossChecks(env: Environment): string[] {
  if (!env.SMTP_URL) return [];
  const budget = env.SMTP_CONNECTION_TIMEOUT_MS + env.SMTP_GREETING_TIMEOUT_MS + env.SMTP_SOCKET_TIMEOUT_MS;
  if (budget < env.OUTBOX_LEASE_MS) return [];
  // One send may take up to their sum; past the lease another instance would send the same alert.
  return [
    `SMTP_CONNECTION_TIMEOUT_MS + SMTP_GREETING_TIMEOUT_MS + ` +
      `SMTP_SOCKET_TIMEOUT_MS (${budget} ms) must be below OUTBOX_LEASE_MS ` +
      `(${env.OUTBOX_LEASE_MS} ms): lower the timeouts or raise the lease`,
  ];
}
