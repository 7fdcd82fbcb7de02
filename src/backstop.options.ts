import { InvariantConfig, InvariantName } from './invariants/invariant-settings';

export type InvariantOptions = Partial<Record<InvariantName, Partial<InvariantConfig>>>;

export interface SagaRuntimeOptions {
  /** Start the saga runtime and outbox workers in this process (default true). */
  enabled?: boolean;
  /** Name of this instance in partition ownership and logs (default host:pid). */
  instanceId?: string;
  /** Events read per batch (default 500). */
  batchSize?: number;
  /** Polling fallback when no notification arrives (default 500 ms, at most 1 s). */
  pollIntervalMs?: number;
  /** Failures of one event (transient database errors not counted) before its key is parked (default 5). */
  maxFailures?: number;
  /** First retry delay after a failure, doubled each time (default 100 ms). */
  retryDelayMs?: number;
  /**
   * How long a claimed outbox row (command or mail) is reserved before another
   * worker may take it: after a crash, the delay before it is retried (default 30 s).
   */
  outboxLeaseMs?: number;
  /**
   * /health warns when the oldest transaction on the server, which every saga
   * waits behind, is older than this (default 60 s).
   */
  readHorizonWarnSeconds?: number;
}

export interface DatabaseOptions {
  /**
   * Ends a session of Backstop's that sits idle inside a transaction this long
   * (default 30 s): it would hold every saga's read horizon, and the locks of
   * a frozen instance, until then.
   */
  idleInTransactionTimeoutMs?: number;
}

export interface MailOptions {
  /** smtp:// or smtps:// URL. Without it each mail is written as an .eml file. */
  smtpUrl?: string;
  /** Sender of alert mails (default "Backstop <backstop@localhost>"). */
  from?: string;
  /** Folder for .eml files when there is no SMTP server (default .backstop/mail). */
  directory?: string;
}

export interface AdminOptions {
  /** Bearer token for the dashboard, /violations, /sagas and admin calls. */
  token?: string;
  /** Without a token, refuse admin access (403) instead of leaving it open. */
  requireToken?: boolean;
}

export interface BackstopOptions {
  /** PostgreSQL connection URL. */
  databaseUrl: string;
  /** Strategy, reactions and tolerance per invariant (defaults: react, alert + compensate, 0). */
  invariants?: InvariantOptions;
  /** Alert recipients. */
  alertTo?: string[];
  runtime?: SagaRuntimeOptions;
  mail?: MailOptions;
  admin?: AdminOptions;
  database?: DatabaseOptions;
}

export const BACKSTOP_OPTIONS = Symbol('BACKSTOP_OPTIONS');
