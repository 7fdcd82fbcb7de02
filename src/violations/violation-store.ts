import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventLogService } from '../event-log/event-log.service';
import { NewEvent } from '../event-log/event-log.types';
import { invariantViolated, ViolationEvent, violationResolved } from './violation.events';

export interface ViolationChange {
  action: 'open' | 'update' | 'resolve';
  violationId: string;
  invariant: string;
  key: string;
  details: Record<string, unknown>;
  /** The event being processed, recorded as the cause. */
  causeEventId: string;
  causeRecordedAt: Date;
  correlationId?: string;
}

const streamOf = (violationId: string) => ({ type: 'Violation', id: `violation-${violationId}` });

function toNewEvent(event: ViolationEvent, change: ViolationChange): NewEvent {
  return {
    type: event.type,
    payload: { ...event.payload },
    tags: [`violation:${change.violationId}`, `${change.invariant}:${change.key}`],
    metadata: { causationId: change.causeEventId, correlationId: change.correlationId },
  };
}

/**
 * Violation episodes: at most one open per (invariant, key). Opening and
 * resolving are also events in the log. Every change runs in the saga's
 * transaction, so a repeat after a crash finds the work done or undone.
 */
@Injectable()
export class ViolationStore {
  constructor(private readonly eventLog: EventLogService) {}

  /** Applies the change; for an opening, answers how long after the cause it was detected. */
  async apply(tx: EntityManager, change: ViolationChange): Promise<{ opened?: number; resolved?: boolean }> {
    if (change.action === 'open') return { opened: await this.open(tx, change) };
    if (change.action === 'update') {
      await tx.query(`UPDATE violations SET details = $2, updated_at = now() WHERE id = $1 AND status = 'open'`, [
        change.violationId,
        change.details,
      ]);
      return {};
    }
    const resolved = await tx.query(
      `UPDATE violations
        SET status = 'resolved', resolved_at = clock_timestamp(), details = details || $2::jsonb, updated_at = now()
        WHERE id = $1 AND status = 'open' RETURNING id`,
      [change.violationId, change.details],
    );
    if (resolved[0].length === 0) return {};
    const { violationId, invariant, key, details, causeEventId } = change;
    await this.eventLog.append(tx, streamOf(violationId), 1, [
      toNewEvent(violationResolved({ violationId, invariant, key, details, resolvedBy: causeEventId }), change),
    ]);
    return { resolved: true };
  }

  private async open(tx: EntityManager, change: ViolationChange): Promise<number> {
    const { violationId, invariant, key, details, causeEventId } = change;
    const inserted = await tx.query(
      `INSERT INTO violations (id, invariant, key, status, details, detected_at)
       VALUES ($1, $2, $3, 'open', $4, clock_timestamp())
       ON CONFLICT DO NOTHING RETURNING detected_at`,
      [violationId, invariant, key, details],
    );
    if (inserted.length === 0) {
      throw new Error(
        `violation ${violationId} of ${invariant}/${key} cannot open: an episode is already open or the id is taken`,
      );
    }
    await this.eventLog.append(tx, streamOf(violationId), 0, [
      toNewEvent(invariantViolated({ violationId, invariant, key, details, detectedBy: causeEventId }), change),
    ]);
    return (inserted[0].detected_at.getTime() - new Date(change.causeRecordedAt).getTime()) / 1000;
  }
}
