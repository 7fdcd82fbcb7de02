/**
 * The package entry of nest-backstop: what a host Nest app imports. The spec
 * helpers are in `nest-backstop/testing` (src/testing/index.ts), which needs
 * no Nest.
 */

// The module and its options.
export { BackstopModule } from './backstop.module';
export type { BackstopAsyncOptions } from './backstop.module';
export { BACKSTOP_OPTIONS } from './backstop.options';
export type {
  AdminOptions,
  BackstopOptions,
  DatabaseOptions,
  InvariantOptions,
  MailOptions,
  RetentionOptions,
  SagaRuntimeOptions,
} from './backstop.options';
export type { Reaction, Strategy } from './config/environment';
export type { InvariantConfig, InvariantName } from './invariants/invariant-settings';

// Sagas: the decorator, the pure definition and its messages and outputs.
export { Saga } from './sagas/saga.decorator';
export { isEcho, OUTPUT_ECHO } from './sagas/saga.types';
export type {
  CommandOutput,
  MailOutput,
  OutputEcho,
  SagaDefinition,
  SagaEvent,
  SagaMessage,
  SagaOptions,
  SagaOutput,
  ViolationOutput,
} from './sagas/saga.types';
export { episodeId } from './sagas/episode-id';
export { episodeOutputs } from './invariants/episode';
export type { EpisodeInput } from './invariants/episode';
export { alertMail } from './invariants/alert-mail';
export type { AlertFacts } from './invariants/alert-mail';
export { COMPENSATION_REJECTED } from './sagas/compensation-rejected.event';
export type { CompensationRejectedPayload } from './sagas/compensation-rejected.event';

// Commands a saga issues: registered by type, run once per command id.
export { CommandRegistry } from './sagas/command-registry';
export type { CommandFactory } from './sagas/command-registry';
export { CommandRunner } from './shared/command-runner';
export type { CommandMeta } from './shared/command-meta';

// The event log and the aggregates on top of it.
export { EventLogService } from './event-log/event-log.service';
export type { EventMetadata, NewEvent, RecordedEvent, StreamRef } from './event-log/event-log.types';
export { ConcurrencyConflictError } from './event-log/concurrency-conflict.error';
export { Aggregate } from './shared/aggregate';
export type { Versioned } from './shared/aggregate';
export { AggregateRepository } from './shared/aggregate-repository';
export { DomainError } from './shared/domain-error';
export type { ErrorCode } from './shared/domain-error';

// HTTP set-up of the standalone service (validation, error format, security headers, OpenAPI).
export { configureApp } from './http/configure-app';
export type { HttpOptions } from './http/configure-app';

// Backstop's migrations, in order (BackstopModule runs them at start).
export { migrations } from '../migrations';
