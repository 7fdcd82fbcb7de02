import { episodeId } from './episode-id';
import { CommandOutput, MailOutput, SagaEvent, SagaOutput } from '../saga-api/saga.types';

export interface EpisodeInput {
  invariant: string;
  key: string;
  event: SagaEvent;
  /** The open episode, if any. */
  openEpisodeId: string | null;
  breached: boolean;
  /** Built only when an episode changes: it may list every open order. */
  details: () => Record<string, unknown>;
  alert: boolean;
  /** Compensating commands for a breach, given the episode id. */
  compensate: (violationId: string) => CommandOutput[];
  /** The alert for an opening (with the compensations decided) or a resolution. */
  mail: (alert: 'opened' | 'resolved', violationId: string, compensations: CommandOutput[]) => MailOutput;
}

/**
 * The life of a violation episode, shared by every invariant saga: open it
 * (and alert) on the first breach, keep it updated while the rule stays
 * broken (no more mail), resolve it (and alert) when the rule holds again;
 * compensate on every breached event, for whatever is not compensated yet.
 */
export function episodeOutputs(input: EpisodeInput): SagaOutput[] {
  const { invariant, openEpisodeId } = input;
  if (!input.breached && !openEpisodeId) return [];
  const violationId = openEpisodeId ?? episodeId(invariant, input.key, input.event.id);
  const details = input.details();
  if (!input.breached) {
    const resolved: SagaOutput[] = [{ kind: 'violation', action: 'resolve', invariant, violationId, details }];
    return input.alert ? [...resolved, input.mail('resolved', violationId, [])] : resolved;
  }
  const compensations = input.compensate(violationId);
  if (openEpisodeId)
    return [{ kind: 'violation', action: 'update', invariant, violationId, details }, ...compensations];
  const opened: SagaOutput = { kind: 'violation', action: 'open', invariant, violationId, details };
  return [opened, ...(input.alert ? [input.mail('opened', violationId, compensations)] : []), ...compensations];
}
