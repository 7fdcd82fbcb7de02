import type { Reaction, Strategy } from './setting-lists';

/** The built-in invariants; a host declares more with defineInvariant. */
export const INVARIANT_NAMES = ['credit-limit', 'coupon-usage'] as const;
/** Any declared invariant's name (the built-ins are INVARIANT_NAMES). */
export type InvariantName = string;

export interface InvariantConfig {
  strategy: Strategy;
  reactions: Reaction[];
  /** Over the limit accepted silently (invariants whose tolerance is a setting, e.g. credit-limit's cents). */
  tolerance: number;
}

export type InvariantOptions = Record<InvariantName, Partial<InvariantConfig> | undefined>;

export interface SagaRuntimeOptions {
  /** Start the saga runtime and outbox workers in this process (default true). */
  enabled?: boolean;
  /** Name of this instance in partition ownership and logs (default host:pid). */
  instanceId?: string;
  /** Events read per batch (default 500). */
  batchSize?: number;
  /**
   * Polling fallback when no wake-up arrives (default 500 ms, at most 60 s). Commits wake partitions at once
   * (in-process, or by NOTIFY from other instances); the fallback bounds the wait when a transaction that
   * appended nothing, or ran outside Backstop, held the read horizon back, and when a NOTIFY was lost.
   */
  pollIntervalMs?: number;
  /** Failures of one event (transient database errors not counted) before its key is parked (default 5). */
  maxFailures?: number;
  /** First retry delay after a failure, doubled each time (default 100 ms). */
  retryDelayMs?: number;
  /**
   * Lease of a saga partition (default 10 s): renewed by its owner every second
   * (or a fifth of it, if shorter), taken over by another instance once expired.
   * A frozen or cut-off instance's partitions move on after about this long, and
   * it stops working them itself after 4/5 of it without a successful renewal.
   */
  leaseMs?: number;
  /**
   * How long a claimed outbox row (command or mail) is reserved before another
   * worker may take it: after a crash, the delay before it is retried (default 30 s).
   * With SMTP it must exceed the sum of the mail timeouts, which bounds one send.
   */
  outboxLeaseMs?: number;
  /**
   * /health warns when the oldest transaction on the server, which every saga
   * waits behind, is older than this (default 60 s).
   */
  readHorizonWarnSeconds?: number;
  /**
   * Partition count per saga name, overriding the @Saga declaration. It must
   * equal the count stored in the database (a start with another is refused);
   * change it with `npm run sagas:repartition`.
   */
  partitions?: Record<string, number>;
}

export interface DatabaseOptions {
  /**
   * Ends a session of Backstop's that sits idle inside a transaction this long
   * (default 30 s): it would hold every saga's read horizon, and the locks of
   * a frozen instance, until then.
   */
  idleInTransactionTimeoutMs?: number;
  /**
   * The host app's own TypeORM migrations (classes, like Backstop's): applied at
   * start with Backstop's, in timestamp order, under the same lock and into the
   * same `typeorm_migrations` table, so its tables exist before its first command.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: Function[];
}

export interface MailOptions {
  /** smtp:// or smtps:// URL. Without it each mail is written as an .eml file. */
  smtpUrl?: string;
  /** Sender of alert mails (default "Backstop <backstop@localhost>"). */
  from?: string;
  /** Folder for .eml files when there is no SMTP server (default .backstop/mail). */
  directory?: string;
  /**
   * SMTP waits (defaults 5 s, 5 s, 10 s). Their sum bounds one send, which is
   * cut off there, and must be below the outbox lease: the start is refused
   * otherwise.
   */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  /** Inactivity allowed on the connection once greeted. */
  socketTimeoutMs?: number;
}

/**
 * How long finished work is kept before the workers delete it, in days (a
 * fraction is allowed; 0 is refused, it would delete everything). The
 * event log is never deleted. A compensating command is idempotent for as
 * long as its id is kept (`commandIdsDays`).
 */
export interface RetentionOptions {
  /** Ids of executed commands (default 30). */
  commandIdsDays?: number;
  /** Finished (done or rejected) compensating commands in the outbox (default 30). */
  outboxDays?: number;
  /** Sent alert mails, bodies included (default 30). */
  mailDays?: number;
  /** Resolved violations, with their outbox rows (default 90). */
  violationsDays?: number;
  /** Time between two retention passes (default 5 minutes). */
  intervalMs?: number;
  /** Rows deleted per statement (default 1000). */
  batchSize?: number;
  /** Pause between two batches, so that a long backlog never hogs the database (default 100 ms). */
  pauseMs?: number;
}

export interface AdminOptions {
  /** Bearer token for the dashboard, /violations, /sagas and admin calls. */
  token?: string;
  /** Without a token, refuse admin access (403) instead of leaving it open. */
  requireToken?: boolean;
  /**
   * Requests per client address to the admin routes together within
   * `windowMs` (default 60 s); beyond that 429 with Retry-After. Unset or a
   * limit of 0: unlimited (the standalone service sets ADMIN_RATE_LIMIT, default 60).
   */
  rateLimit?: { limit: number; windowMs?: number };
}

export interface BackstopOptions {
  /** PostgreSQL connection URL. */
  databaseUrl: string;
  /**
   * Strategy, reactions and tolerance per invariant, by name; an invariant not
   * listed reads `<NAME>_STRATEGY`/`_REACTIONS`/`_TOLERANCE` from `environment`
   * (defaults: react, alert + compensate, 0).
   */
  invariants?: InvariantOptions;
  /** Where invariants not configured in `invariants` read their variables (default process.env). */
  environment?: Record<string, string | undefined>;
  /** Alert recipients. */
  alertTo?: string[];
  runtime?: SagaRuntimeOptions;
  mail?: MailOptions;
  admin?: AdminOptions;
  database?: DatabaseOptions;
  retention?: RetentionOptions;
}

export const BACKSTOP_OPTIONS = Symbol('BACKSTOP_OPTIONS');
