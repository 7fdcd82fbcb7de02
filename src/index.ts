/**
 * The package entry of nest-backstop: what a host Nest app imports. The spec
 * helpers are in `nest-backstop/testing` (src/testing/index.ts), which needs
 * no Nest.
 */

// The module and its options.
export { BackstopModule } from './backstop.module';
export type { BackstopAsyncOptions } from './backstop.module';
export { BACKSTOP_OPTIONS } from './config/backstop.options';
export type {
  AdminOptions,
  BackstopOptions,
  DatabaseOptions,
  InvariantOptions,
  MailOptions,
  RetentionOptions,
  SagaRuntimeOptions,
} from './config/backstop.options';
export type { Reaction, Strategy } from './config/environment';
export type { InvariantConfig, InvariantName } from './config/backstop.options';

// Sagas: the decorator, the pure definition and its messages and outputs.
export { Saga } from './saga-api/saga.decorator';
export { isEcho, OUTPUT_ECHO } from './saga-api/saga.types';
export type {
  CommandOutput,
  MailOutput,
  OutputEcho,
  SagaDefinition,
  SagaEvent,
  SagaEventOf,
  SagaMessage,
  SagaMessageOf,
  SagaOptions,
  SagaOutput,
  ViolationOutput,
} from './saga-api/saga.types';
export { episodeId } from './violations/episode-id';
export { episodeOutputs } from './violations/episode';
export type { EpisodeInput } from './violations/episode';
export { alertMail } from './violations/alert-mail';
export type { AlertFacts } from './violations/alert-mail';
export { COMPENSATION_REJECTED } from './sagas/compensation-rejected.event';
export type { CompensationRejectedPayload } from './sagas/compensation-rejected.event';

// Commands a saga issues: registered by type, run once per command id.
export { CommandRegistry } from './commands/command-registry';
export type { CommandFactory } from './commands/command-registry';
export { CommandRunner } from './commands/command-runner';
export type { CommandMeta } from './commands/command-meta';

// The event log and the aggregates on top of it.
export { EventLogService } from './event-log/event-log.service';
export type { EventMetadata, NewEvent, RecordedEvent, StreamRef } from './event-log/event-log.types';
export { ConcurrencyConflictError } from './event-log/concurrency-conflict.error';
export { Aggregate } from './aggregates/aggregate';
export { assertNever, factoriesOf } from './aggregates/domain-event';
export type { DomainEvent, EventOf, Payload } from './aggregates/domain-event';
export type { Versioned } from './aggregates/aggregate';
export { AggregateRepository } from './aggregates/aggregate-repository';
export { DomainError } from './shared/domain-error';
export type { ErrorCode } from './shared/domain-error';

// HTTP set-up of the standalone service (validation, error format, security headers, OpenAPI).
export { configureApp } from './http/configure-app';
export type { HttpOptions } from './http/configure-app';

// Backstop's migrations, in order (BackstopModule runs them at start).
export { migrations } from '../migrations';

// Invariants: one declaration each (BackstopModule.forInvariants([...]) for a host's own), the shared rule
// arithmetic, the key lock `prevent` uses, and the audit over the declared invariants.
export { defineInvariant, isInvariant, judge, wouldExceed } from './invariants/define-invariant';
export type {
  Compensation,
  Invariant,
  InvariantContext,
  InvariantDeclaration,
  InvariantRule,
  Judgement,
  RefusedCommand,
} from './invariants/define-invariant';
export { InvariantRegistry } from './invariants/invariant-registry';
export { InvariantSettings } from './invariants/invariant-settings';
export { lockIfPrevent, serializeOnKey } from './invariants/serialize-on-key';
export { creditLimit } from './invariants/credit-limit/credit-limit.invariant';
export { couponUsage } from './invariants/coupon-usage/coupon-usage.invariant';
export { audit, formatReport } from './audit/audit';
export type { AuditReport, AuditRow, Verdict } from './audit/audit';
export { runAudit } from './audit/run-audit';
export type { RunAuditOptions } from './audit/run-audit';
