import { COMPENSATION_REJECTED } from '../saga-api/compensation-rejected';
import type { DomainEvent } from '../aggregates/domain-event';
import { isEcho, SagaDefinition, SagaEvent, SagaEventOf, SagaMessage, SagaOptions } from '../saga-api/saga.types';
import type { SagaOutput } from '../saga-api/saga.types';
import { alertMail } from '../violations/alert-mail';
import { episodeOutputs } from '../violations/episode';
import type { InvariantConfig } from '../config/backstop.options';
import { Compensation, Invariant, InvariantContext, judge, RefusedCommand } from './define-invariant';

/** The saga options of a declaration: its name and events, plus the refusals of its compensations. */
export function invariantSagaOptions(invariant: Invariant): SagaOptions {
  return {
    name: invariant.name,
    events: [...invariant.events, COMPENSATION_REJECTED],
    key: invariant.key,
    ...(invariant.partitions ? { partitions: invariant.partitions } : {}),
    ...(invariant.entries ? { entries: invariant.entries } : {}),
  };
}

function keyOf(invariant: Invariant, event: SagaEvent): string {
  if (typeof invariant.key === 'function') return invariant.key(event) ?? String(event.payload.key);
  return String(event.payload[invariant.key] ?? event.payload.key);
}

/**
 * The saga derived from a declaration: evolve folds events, echoes and
 * refusals through the declaration; decide judges the figures with the rule
 * and drives the shared episode life cycle (episodeOutputs), the alert
 * (alertMail) and the compensations. Settings are read at each decision.
 */
export function invariantSaga<S, F, E extends DomainEvent>(
  invariant: Invariant<S, F, E>,
  settings: () => InvariantConfig,
): SagaDefinition<S> {
  return {
    initialState: (key) => invariant.initialState(key),

    evolve(state: S, message: SagaMessage): S {
      if (isEcho(message)) return invariant.onOutput ? invariant.onOutput(state, message.output, message.cause) : state;
      if (message.type === COMPENSATION_REJECTED) {
        const { saga, ...refused } = message.payload;
        return saga === invariant.name && invariant.onRefused
          ? invariant.onRefused(state, refused as RefusedCommand)
          : state;
      }
      // The runtime reads only the declared types (and refusals, above): the event is one of E's.
      return invariant.evolve(state, message as SagaEventOf<E>);
    },

    decide(state: S, event: SagaEvent): SagaOutput[] {
      if (event.type === COMPENSATION_REJECTED && event.payload.saga !== invariant.name) return [];
      const figures = invariant.figures(state);
      if (figures === null) return [];
      const config = settings();
      const judgement = judge(invariant.check, figures, config.tolerance);
      const ctx: InvariantContext<F> = { settings: config, figures, judgement, event };
      const compensations: Compensation[] =
        judgement.breached && config.reactions.includes('compensate') && invariant.compensate
          ? invariant.compensate(state, ctx)
          : [];
      return episodeOutputs({
        invariant: invariant.name,
        key: keyOf(invariant, event),
        event,
        openEpisodeId: invariant.openEpisode(state),
        breached: judgement.breached,
        details: () => invariant.details(state, ctx, compensations),
        alert: config.reactions.includes('alert'),
        compensate: (violationId) =>
          compensations.map(({ type, ref, payload }) => ({
            kind: 'command' as const,
            type,
            ref,
            payload: { ...payload, violationId },
          })),
        mail: (alert, violationId) =>
          alertMail({
            violationId,
            alert,
            invariant: invariant.name,
            subjectOf: invariant.alert.subjectOf(state),
            rule: invariant.rule,
            figures: invariant.alert.figures(state, ctx),
            involved: invariant.alert.involved(state, alert === 'opened' ? compensations : []),
            action: invariant.alert.action(state, ctx, alert, alert === 'opened' ? compensations : []),
            at: event.recordedAt,
          }),
      });
    },
  };
}
