import { episodeId } from '../sagas/episode-id';
import { Saga } from '../sagas/saga.decorator';
import { SagaDefinition, SagaEvent, SagaMessage, SagaOutput } from '../sagas/saga.types';
import { alertMail } from './alert-mail';
import { CreditLimitState, evolveCreditLimit, exposure, net, projectedExposure } from './credit-limit.state';
import { InvariantSettings } from './invariant-settings';

export const CREDIT_LIMIT = 'credit-limit';
export const CREDIT_LIMIT_EVENTS = [
  'CustomerRegistered',
  'CustomerCreditLimitChanged',
  'OrderCreated',
  'OrderTotalChanged',
  'OrderCancelled',
  'OrderCompleted',
  'OrderPutOnHold',
  'OrderReleased',
  'CouponApplied',
  'CouponRevoked',
];

/**
 * A customer's open orders must stay within the credit limit (plus the
 * configured tolerance). Re-checks after every event that can move exposure
 * or the limit; on a breach opens an episode, holds the newest open orders
 * until the projected exposure fits, and alerts; resolves when it fits again.
 */
@Saga({ name: CREDIT_LIMIT, events: CREDIT_LIMIT_EVENTS, key: 'customerId' })
export class CreditLimitSaga implements SagaDefinition<CreditLimitState> {
  constructor(private readonly settings: InvariantSettings) {}

  initialState(customerId: string): CreditLimitState {
    return { customerId, name: null, email: null, creditLimit: null, orders: {}, exposure: 0, pendingHolds: [], episode: null, created: 0 };
  }

  evolve(state: CreditLimitState, message: SagaMessage): CreditLimitState {
    return evolveCreditLimit(state, message);
  }

  decide(state: CreditLimitState, event: SagaEvent): SagaOutput[] {
    if (state.creditLimit === null) return [];
    const { reactions, tolerance } = this.settings.of(CREDIT_LIMIT);
    const allowed = state.creditLimit + tolerance;
    const actual = exposure(state);
    const outputs: SagaOutput[] = [];
    const violationId = state.episode?.id ?? episodeId(CREDIT_LIMIT, state.customerId, event.id);

    if (actual <= allowed) {
      if (!state.episode) return [];
      const details = this.details(state, actual, []);
      outputs.push({ kind: 'violation', action: 'resolve', invariant: CREDIT_LIMIT, violationId, details });
      if (reactions.includes('alert')) outputs.push(this.mail(state, violationId, 'resolved', event, details.exposure, [], `Exposure is back within the limit.`));
      return outputs;
    }

    const holds = reactions.includes('compensate') ? this.ordersToHold(state, allowed) : [];
    const details = this.details(state, actual, holds);
    if (!state.episode) {
      outputs.push({ kind: 'violation', action: 'open', invariant: CREDIT_LIMIT, violationId, details });
      const action = holds.length
        ? `Holding ${holds.length} order(s), newest first: ${holds.join(', ')}.`
        : reactions.includes('compensate')
          ? 'Nothing more can be held; please review.'
          : 'No compensation is configured; please review.';
      if (reactions.includes('alert')) outputs.push(this.mail(state, violationId, 'opened', event, actual, holds, action));
    } else {
      outputs.push({ kind: 'violation', action: 'update', invariant: CREDIT_LIMIT, violationId, details });
    }
    for (const orderId of holds) {
      outputs.push({ kind: 'command', type: 'HoldOrder', ref: orderId, payload: { orderId, reason: `credit limit of customer ${state.customerId} exceeded`, violationId } });
    }
    return outputs;
  }

  /** Newest open orders first, skipping those already being held and those a human released in this episode. */
  private ordersToHold(state: CreditLimitState, allowed: number): string[] {
    const released = new Set(state.episode?.released ?? []);
    const candidates = Object.entries(state.orders)
      .filter(([id, order]) => order.status === 'open' && !state.pendingHolds.includes(id) && !released.has(id))
      .sort(([, a], [, b]) => b.seq - a.seq);
    let projected = projectedExposure(state);
    const holds: string[] = [];
    for (const [id, order] of candidates) {
      if (projected <= allowed) break;
      holds.push(id);
      projected -= net(order);
    }
    return holds;
  }

  private details(state: CreditLimitState, actual: number, holding: string[]) {
    return {
      customerId: state.customerId,
      customerName: state.name,
      customerEmail: state.email,
      creditLimit: state.creditLimit,
      tolerance: this.settings.of(CREDIT_LIMIT).tolerance,
      exposure: actual,
      openOrders: Object.entries(state.orders)
        .filter(([, order]) => order.status === 'open')
        .map(([orderId, order]) => ({ orderId, net: net(order) })),
      holding: [...(state.episode?.held ?? []), ...holding],
    };
  }

  private mail(state: CreditLimitState, violationId: string, alert: 'opened' | 'resolved', event: SagaEvent, actual: number, holds: string[], action: string) {
    const who = state.name ? `customer ${state.name}${state.email ? ` <${state.email}>` : ''} (${state.customerId})` : `customer ${state.customerId}`;
    const involved = Object.entries(state.orders)
      .filter(([, order]) => order.status === 'open')
      .sort(([, a], [, b]) => b.seq - a.seq)
      .map(([id, order]) => `order ${id}: ${net(order)} cents${holds.includes(id) ? ' (being held)' : ''}`);
    return alertMail({
      violationId,
      alert,
      invariant: CREDIT_LIMIT,
      subjectOf: who,
      rule: "a customer's open orders must stay within the credit limit",
      figures: [
        ['Credit limit (cents)', state.creditLimit ?? 0],
        ['Tolerance (cents)', this.settings.of(CREDIT_LIMIT).tolerance],
        ['Exposure (cents)', actual],
      ],
      involved,
      action,
      at: event.recordedAt,
    });
  }
}
