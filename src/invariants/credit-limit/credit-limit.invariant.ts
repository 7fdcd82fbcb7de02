import { COMPENSATION_REJECTED } from '../../saga-api/compensation-rejected';
import { Compensation, defineInvariant, InvariantContext } from '../define-invariant';
import { CREDIT_AUDIT_SQL } from './credit-limit.reads';
import { CreditFigures, creditRule } from './credit-limit.rule';
import {
  CREDIT_LIMIT_SAGA,
  CreditLimitEvent,
  CreditLimitState,
  echoCreditLimit,
  evolveCreditLimit,
  net,
  projectedExposure,
  refusedHold,
} from './credit-limit.state';

export const CREDIT_LIMIT = CREDIT_LIMIT_SAGA;
const EVENTS: CreditLimitEvent['type'][] = [
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
/** The saga's subscriptions, as stored: the declared events and the refusals of its holds. */
export const CREDIT_LIMIT_EVENTS = [...EVENTS, COMPENSATION_REJECTED];

/**
 * Newest open orders first, skipping those already being held, and those a human released or the domain refused in this
 * episode.
 */
function ordersToHold(state: CreditLimitState, allowed: number): string[] {
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

const refs = (compensations: Compensation[]) => compensations.map((c) => c.ref);

/**
 * A customer's open orders must stay within the credit limit (plus the
 * configured tolerance). Re-checked after every event that can move exposure
 * or the limit; on a breach an episode opens, the newest open orders are held
 * until the projected exposure fits, and an alert goes out; it resolves when
 * it fits again.
 */
export const creditLimit = defineInvariant<CreditLimitState, CreditFigures, CreditLimitEvent>({
  name: CREDIT_LIMIT,
  rule: "a customer's open orders must stay within the credit limit",
  key: 'customerId',
  events: EVENTS,
  // A hot customer has thousands of open orders: a batch writes the few it changed, not all of them.
  entries: 'orders',
  tolerance: 'setting',
  initialState: (customerId) => ({
    customerId,
    name: null,
    email: null,
    creditLimit: null,
    orders: {},
    exposure: 0,
    pendingHolds: [],
    episode: null,
    created: 0,
  }),
  evolve: evolveCreditLimit,
  onOutput: echoCreditLimit,
  onRefused: (state, refused) =>
    refused.commandType === 'HoldOrder' && refused.orderId ? refusedHold(state, refused.orderId) : state,
  openEpisode: (state) => state.episode?.id ?? null,
  figures: (state) =>
    state.creditLimit === null ? null : { creditLimit: state.creditLimit, exposure: state.exposure },
  check: creditRule,
  compensate: (state, { judgement }) =>
    ordersToHold(state, judgement.allowed).map((orderId) => ({
      type: 'HoldOrder',
      ref: orderId,
      payload: { orderId, reason: `credit limit of customer ${state.customerId} exceeded` },
    })),
  details: (state, { settings, judgement }, compensations) => ({
    customerId: state.customerId,
    customerName: state.name,
    customerEmail: state.email,
    creditLimit: state.creditLimit,
    tolerance: settings.tolerance,
    exposure: judgement.actual,
    openOrders: Object.entries(state.orders)
      .filter(([, order]) => order.status === 'open')
      .map(([orderId, order]) => ({ orderId, net: net(order) })),
    holding: [...(state.episode?.held ?? []), ...refs(compensations)],
  }),
  alert: {
    subjectOf: (state) =>
      state.name
        ? `customer ${state.name}${state.email ? ` <${state.email}>` : ''} (${state.customerId})`
        : `customer ${state.customerId}`,
    figures: (state, { settings, judgement }: InvariantContext<CreditFigures>) => [
      ['Credit limit (cents)', state.creditLimit ?? 0],
      ['Tolerance (cents)', settings.tolerance],
      ['Exposure (cents)', judgement.actual],
    ],
    involved: (state, compensations) => {
      const holds = refs(compensations);
      return Object.entries(state.orders)
        .filter(([, order]) => order.status === 'open')
        .sort(([, a], [, b]) => b.seq - a.seq)
        .map(([id, order]) => `order ${id}: ${net(order)} cents${holds.includes(id) ? ' (being held)' : ''}`);
    },
    action: (_state, { settings }, alert, compensations) =>
      alert === 'resolved'
        ? 'Exposure is back within the limit.'
        : compensations.length
          ? `Holding ${compensations.length} order(s), newest first: ${refs(compensations).join(', ')}.`
          : settings.reactions.includes('compensate')
            ? 'Nothing more can be held; please review.'
            : 'No compensation is configured; please review.',
  },
  audit: {
    noun: 'customer(s)',
    sql: CREDIT_AUDIT_SQL,
    figures: (row) => ({ creditLimit: Number(row.credit_limit), exposure: Number(row.exposure) }),
  },
});
