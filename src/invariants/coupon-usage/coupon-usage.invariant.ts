import { COMPENSATION_REJECTED } from '../../saga-api/compensation-rejected';
import { Compensation, defineInvariant } from '../define-invariant';
import { COUPON_AUDIT_SQL } from './coupon-usage.reads';
import { CouponFigures, couponRule } from './coupon-usage.rule';
import {
  CouponUsageEvent,
  CouponUsageState,
  echoCouponUsage,
  evolveCouponUsage,
  newestBeyond,
  refusedRevoke,
} from './coupon-usage.state';

export const COUPON_USAGE = 'coupon-usage';
const EVENTS: CouponUsageEvent['type'][] = [
  'CouponCreated',
  'CouponLimitChanged',
  'CouponApplied',
  'CouponRevoked',
  'OrderCancelled',
];
/** The saga's subscriptions, as stored: the declared events and the refusals of its revocations. */
export const COUPON_USAGE_EVENTS = [...EVENTS, COMPENSATION_REJECTED];

const refs = (compensations: Compensation[]) => compensations.map((c) => c.ref);

/**
 * A coupon's uses must stay within maxUses + allowedOverbooking. Uses within
 * the overbooking tolerance are accepted silently (applying a coupon writes
 * nothing on the coupon, so a race can overbook); beyond it the coupon is
 * revoked from the newest orders and an alert goes out.
 */
export const couponUsage = defineInvariant<CouponUsageState, CouponFigures, CouponUsageEvent>({
  name: COUPON_USAGE,
  rule: "a coupon's uses must stay within its maximum plus the allowed overbooking",
  key: 'couponId',
  events: EVENTS,
  tolerance: 'per-key',
  toleranceLabel: 'per coupon',
  initialState: (couponId) => ({
    couponId,
    code: null,
    maxUses: null,
    allowedOverbooking: 0,
    holders: {},
    applied: 0,
    uses: 0,
    pendingRevokes: [],
    episode: null,
  }),
  evolve: evolveCouponUsage,
  onOutput: echoCouponUsage,
  onRefused: (state, refused) =>
    refused.commandType === 'RevokeCoupon' && refused.orderId ? refusedRevoke(state, refused.orderId) : state,
  openEpisode: (state) => state.episode?.id ?? null,
  figures: (state) =>
    state.maxUses === null
      ? null
      : { maxUses: state.maxUses, allowedOverbooking: state.allowedOverbooking, uses: state.uses },
  check: couponRule,
  compensate: (state, { judgement }) =>
    newestBeyond(state, judgement.allowed).map((orderId) => ({
      type: 'RevokeCoupon',
      ref: orderId,
      payload: { orderId, reason: `coupon ${state.code ?? state.couponId} overbooked beyond its tolerance` },
    })),
  details: (state, { judgement }, compensations) => ({
    couponId: state.couponId,
    code: state.code,
    maxUses: state.maxUses,
    allowedOverbooking: state.allowedOverbooking,
    uses: judgement.actual,
    revoking: [...(state.episode?.revoked ?? []), ...refs(compensations)],
  }),
  alert: {
    subjectOf: (state) => `coupon ${state.code ?? '?'} (${state.couponId})`,
    figures: (state, { judgement }) => [
      ['Maximum uses', state.maxUses ?? 0],
      ['Allowed overbooking', state.allowedOverbooking],
      ['Uses', judgement.actual],
    ],
    involved: (state, compensations) => {
      const revokes = refs(compensations);
      return Object.entries(state.holders)
        .sort(([, a], [, b]) => b - a)
        .map(([id]) => `order ${id}${revokes.includes(id) ? ' (coupon being revoked)' : ''}`);
    },
    action: (_state, _ctx, alert, compensations) =>
      alert === 'resolved'
        ? 'Uses are back within the allowed overbooking.'
        : compensations.length
          ? `Revoking the coupon from the ${compensations.length} newest order(s): ${refs(compensations).join(', ')}.`
          : 'No compensation is configured; please review.',
  },
  audit: {
    noun: 'coupon(s)',
    sql: COUPON_AUDIT_SQL,
    figures: (row) => ({
      maxUses: Number(row.max_uses),
      allowedOverbooking: Number(row.allowed_overbooking),
      uses: Number(row.uses),
    }),
  },
});
