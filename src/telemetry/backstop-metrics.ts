import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type CommandResult = 'ok' | 'rejected' | 'conflict' | 'error';

/**
 * Every Backstop series, on a registry of its own (an app may run several
 * Backstop modules, or its own prom-client metrics, side by side).
 * Gauges that describe the database (lag, outbox depth, open violations)
 * are filled at scrape time by MetricsCollector.
 */
@Injectable()
export class BackstopMetrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'backstop_commands_total',
    help: 'Commands handled, by type and result (ok, rejected by a rule, conflict, error)',
    labelNames: ['command', 'result'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'backstop_command_duration_seconds',
    help: 'Time to handle a command, retries included',
    labelNames: ['command'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'backstop_events_appended_total',
    help: 'Events appended to the log, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly sagaEventsProcessed = new Counter({
    name: 'backstop_saga_events_processed_total',
    help: 'Events folded by each saga',
    labelNames: ['saga'] as const,
    registers: [this.registry],
  });

  readonly sagaLagEvents = new Gauge({
    name: 'backstop_saga_lag_events',
    help: 'Subscribed events not yet processed by the slowest partition of each saga',
    labelNames: ['saga'] as const,
    registers: [this.registry],
  });

  readonly sagaLagSeconds = new Gauge({
    name: 'backstop_saga_lag_seconds',
    help: 'Age of the oldest subscribed event not yet processed, per saga',
    labelNames: ['saga'] as const,
    registers: [this.registry],
  });

  readonly sagaParkedKeys = new Gauge({
    name: 'backstop_saga_parked_keys',
    help: 'Keys parked on an event the saga could not process, waiting for an operator to retry or skip, per saga',
    labelNames: ['saga'] as const,
    registers: [this.registry],
  });

  readonly violationsOpened = new Counter({
    name: 'backstop_violations_opened_total',
    help: 'Violation episodes opened, per invariant',
    labelNames: ['invariant'] as const,
    registers: [this.registry],
  });

  readonly violationsResolved = new Counter({
    name: 'backstop_violations_resolved_total',
    help: 'Violation episodes resolved, per invariant',
    labelNames: ['invariant'] as const,
    registers: [this.registry],
  });

  readonly violationsOpen = new Gauge({
    name: 'backstop_violations_open',
    help: 'Episodes open now, per invariant',
    labelNames: ['invariant'] as const,
    registers: [this.registry],
  });

  readonly detectionLatency = new Histogram({
    name: 'backstop_detection_latency_seconds',
    help: 'From the breaking event being recorded to the episode being opened',
    labelNames: ['invariant'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly compensations = new Counter({
    name: 'backstop_compensations_total',
    help: 'Compensating commands executed by the outbox, by kind and result (done, rejected, retry)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly mails = new Counter({
    name: 'backstop_mails_total',
    help: 'Alert mail delivery attempts, by result (sent, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly mailOutbox = new Gauge({
    name: 'backstop_mail_outbox',
    help:
      'Alert mails waiting in the outbox, by status (pending, failing ' +
      '= pending with an error); sent ones are backstop_mails_total',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly retentionDeleted = new Counter({
    name: 'backstop_retention_deleted_total',
    help: 'Rows deleted by retention, by kind (command_ids, outbox, mail, violations)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly readHorizonAge = new Gauge({
    name: 'backstop_read_horizon_age_seconds',
    help: 'Age of the oldest transaction on the server, which every saga waits behind (0 when none is open)',
    registers: [this.registry],
  });
}
