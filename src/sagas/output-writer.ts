import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { ViolationStore } from '../violations/violation-store';
import { deterministicUuid } from '../event-log/deterministic-uuid';
import { SagaEvent, SagaOutput } from '../saga-api/saga.types';

export const DEFAULT_ALERT_RECIPIENTS = ['backstop-alerts@localhost'];

export interface PendingOutput {
  saga: string;
  key: string;
  event: SagaEvent;
  output: SagaOutput;
  /** Position among the event's outputs of the same kind, for deterministic ids. */
  index: number;
}

export interface WrittenOutputs {
  commands: number;
  mails: number;
  opened: { invariant: string; violationId: string; latencySeconds: number; correlationId?: string }[];
  resolved: { invariant: string; violationId: string; correlationId?: string }[];
}

/** The deterministic id of a command a saga issued: a repeat is recognised, not re-run. */
export function commandIdOf({ saga, key, event, output, index }: PendingOutput): string {
  const ref = output.kind === 'command' ? (output.ref ?? String(index)) : String(index);
  return deterministicUuid(`command|${saga}|${key}|${event.id}|${ref}`);
}

/** Writes a saga's outputs in the saga's transaction: outbox rows and violation changes. */
@Injectable()
export class OutputWriter {
  constructor(
    private readonly violations: ViolationStore,
    @Inject(BACKSTOP_OPTIONS) private readonly options: BackstopOptions,
  ) {}

  async write(tx: EntityManager, pending: PendingOutput[]): Promise<WrittenOutputs> {
    const written: WrittenOutputs = { commands: 0, mails: 0, opened: [], resolved: [] };
    for (const item of pending) {
      const { output, event, key } = item;
      const correlationId = event.metadata.correlationId;
      if (output.kind === 'command') {
        written.commands++;
        await tx.query(
          `INSERT INTO command_outbox (command_id, saga, saga_key, command_type, payload, metadata)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [commandIdOf(item), item.saga, key, output.type, output.payload, { correlationId, causationId: event.id }],
        );
      } else if (output.kind === 'violation') {
        const effect = await this.violations.apply(tx, {
          action: output.action,
          violationId: output.violationId,
          invariant: output.invariant,
          key,
          // The correlation id of the command that caused it, so one grep follows a violation end to end.
          details: { ...output.details, ...(correlationId ? { correlationId } : {}) },
          causeEventId: event.id,
          causeRecordedAt: event.recordedAt,
          correlationId,
        });
        const { invariant, violationId } = output;
        if (effect.opened !== undefined)
          written.opened.push({ invariant, violationId, latencySeconds: effect.opened, correlationId });
        if (effect.resolved) written.resolved.push({ invariant, violationId, correlationId });
      } else {
        written.mails++;
        const messageId = `<${output.violationId}.${output.alert}@backstop>`;
        const headers = {
          ...output.headers,
          'X-Backstop-Violation-Id': output.violationId,
          'X-Backstop-Alert': output.alert,
          ...(correlationId ? { 'X-Correlation-Id': correlationId } : {}),
        };
        await tx.query(
          `INSERT INTO mail_outbox (message_id, violation_id, kind, recipients, subject, text_body, html_body, headers)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [
            messageId,
            output.violationId,
            output.alert,
            output.to ?? this.options.alertTo ?? DEFAULT_ALERT_RECIPIENTS,
            output.subject,
            output.text,
            output.html ?? null,
            headers,
          ],
        );
      }
    }
    return written;
  }
}
