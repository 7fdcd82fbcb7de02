import { NewEvent, StreamRef } from '../event-log/event-log.types';
import { tagsOf } from '../aggregates/aggregate-repository';

import { COMPENSATION_REJECTED } from '../saga-api/compensation-rejected';

export { COMPENSATION_REJECTED };

/**
 * The domain refused a command a saga issued (the order was no longer open,
 * say). Sagas subscribe to it to stop waiting for that command's effect. It
 * carries the issuing saga's key under the saga's own key field too (e.g.
 * `customerId`), so it lands in the partition of the key that issued it.
 */
export interface CompensationRejectedPayload {
  saga: string;
  key: string;
  commandId: string;
  commandType: string;
  /** The command's `orderId`, when it has one. */
  orderId?: string;
  code: string;
  reason: string;
  [keyField: string]: unknown;
}

export interface RejectedCommand {
  saga: string;
  key: string;
  /** The issuing saga's key field, when its key is a payload field. */
  keyField?: string;
  commandId: string;
  commandType: string;
  command: Record<string, unknown>;
  code: string;
  reason: string;
}

/** One stream per command: its single event is version 1, so no other write can order before it. */
export const rejectionStream = (commandId: string): StreamRef => ({
  type: 'Compensation',
  id: `compensation-${commandId}`,
});

export function compensationRejected(rejected: RejectedCommand, meta: { correlationId?: string }): NewEvent {
  const { saga, key, keyField, commandId, commandType, command, code, reason } = rejected;
  const payload: CompensationRejectedPayload = {
    saga,
    key,
    commandId,
    commandType,
    ...(typeof command.orderId === 'string' ? { orderId: command.orderId } : {}),
    code,
    reason,
    ...(keyField ? { [keyField]: key } : {}),
  };
  return {
    type: COMPENSATION_REJECTED,
    payload,
    tags: [...new Set([...tagsOf(payload), `saga:${saga}`])],
    metadata: { correlationId: meta.correlationId, causationId: commandId },
  };
}
