import { COMPENSATION_REJECTED } from '../sagas/compensation-rejected.event';
import { Saga } from '../saga-api/saga.decorator';
import { SagaDefinition, SagaEvent, SagaMessage, SagaOutput } from '../saga-api/saga.types';
import { alertMail } from '../violations/alert-mail';
import { episodeOutputs } from '../violations/episode';
import {
  CREDIT_LIMIT_SAGA,
  CreditLimitState,
  evolveCreditLimit,
  exposure,
  net,
  projectedExposure,
} from './credit-limit.state';
import { InvariantSettings } from './invariant-settings';

export const CREDIT_LIMIT = CREDIT_LIMIT_SAGA;
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
  COMPENSATION_REJECTED,
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
    return {
      customerId,
      name: null,
      email: null,
      creditLimit: null,
      orders: {},
      exposure: 0,
      pendingHolds: [],
      episode: null,
      created: 0,
    };
  }

  evolve(state: CreditLimitState, message: SagaMessage): CreditLimitState {
    return evolveCreditLimit(state, message);
  }

  decide(state: CreditLimitState, event: SagaEvent): SagaOutput[] {
    if (state.creditLimit === null) return [];
    if (event.type === COMPENSATION_REJECTED && event.payload.saga !== CREDIT_LIMIT) return [];
    const { reactions, tolerance } = this.settings.of(CREDIT_LIMIT);
    const allowed = state.creditLimit + tolerance;
    const actual = exposure(state);
    const breached = actual > allowed;
    const holds = breached && reactions.includes('compensate') ? this.ordersToHold(state, allowed) : [];
    return episodeOutputs({
      invariant: CREDIT_LIMIT,
      key: state.customerId,
      event,
      openEpisodeId: state.episode?.id ?? null,
      breached,
      details: () => this.details(state, actual, holds),
      alert: reactions.includes('alert'),
      compensate: (violationId) =>
        holds.map((orderId) => ({
          kind: 'command' as const,
          type: 'HoldOrder',
          ref: orderId,
          payload: { orderId, reason: `credit limit of customer ${state.customerId} exceeded`, violationId },
        })),
      mail: (alert, violationId) => {
        const action =
          alert === 'resolved'
            ? 'Exposure is back within the limit.'
            : holds.length
              ? `Holding ${holds.length} order(s), newest first: ${holds.join(', ')}.`
              : reactions.includes('compensate')
                ? 'Nothing more can be held; please review.'
                : 'No compensation is configured; please review.';
        return this.mail(state, violationId, alert, event, actual, holds, action);
      },
    });
  }

  /** Newest open orders first, skipping those already being held, and those a human released or the domain refused in this episode. */
  private ordersToHold(state: CreditLimitState, allowed: number): string[] {
    const released = new Set([...(state.episode?.released ?? []), ...(state.episode?.refused ?? [])]);
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

  private mail(
    state: CreditLimitState,
    violationId: string,
    alert: 'opened' | 'resolved',
    event: SagaEvent,
    actual: number,
    holds: string[],
    action: string,
  ) {
    const who = state.name
      ? `customer ${state.name}${state.email ? ` <${state.email}>` : ''} (${state.customerId})`
      : `customer ${state.customerId}`;
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
