import { COMPENSATION_REJECTED } from '../sagas/compensation-rejected.event';
import { Saga } from '../saga-api/saga.decorator';
import { isEcho, SagaDefinition, SagaEvent, SagaMessage, SagaOutput } from '../saga-api/saga.types';
import { alertMail } from '../violations/alert-mail';
import { episodeOutputs } from '../violations/episode';
import { InvariantSettings } from './invariant-settings';

export const COUPON_USAGE = 'coupon-usage';
export const COUPON_USAGE_EVENTS = [
  'CouponCreated',
  'CouponLimitChanged',
  'CouponApplied',
  'CouponRevoked',
  'OrderCancelled',
  COMPENSATION_REJECTED,
];

export interface CouponUsageState {
  couponId: string;
  code: string | null;
  maxUses: number | null;
  allowedOverbooking: number;
  /** Orders holding the coupon -> order of CouponApplied in the log (higher is newer). */
  holders: Record<string, number>;
  /** CouponApplied events seen so far: the source of the holders' order. */
  applied: number;
  /** Orders holding the coupon now: the size of `holders`, kept by evolve. */
  uses: number;
  /** Revocations asked for and not yet seen as CouponRevoked (or cancelled, or refused). */
  pendingRevokes: string[];
  /** `refused`: revocations the domain refused in this episode, not asked for again (absent in states stored before it). */
  episode: { id: string; revoked: string[]; refused?: string[] } | null;
}

const without = (list: string[], id: string) => list.filter((item) => item !== id);

function release(state: CouponUsageState, orderId: string): CouponUsageState {
  if (orderId in state.holders) {
    delete state.holders[orderId];
    state.uses -= 1;
  }
  state.pendingRevokes = without(state.pendingRevokes, orderId);
  return state;
}

/**
 * The domain refused a revocation. Usually the order was cancelled and the
 * saga already released it; otherwise it still holds the coupon, and decide
 * must pick another order instead of waiting forever.
 */
function refused(state: CouponUsageState, orderId: string): CouponUsageState {
  state.pendingRevokes = without(state.pendingRevokes, orderId);
  if (state.episode) {
    state.episode = {
      ...state.episode,
      revoked: without(state.episode.revoked, orderId),
      refused: [...(state.episode.refused ?? []), orderId],
    };
  }
  return state;
}

/**
 * A coupon's uses must stay within maxUses + allowedOverbooking. Uses within
 * the overbooking tolerance are accepted silently (applying a coupon writes
 * nothing on the coupon, so a race can overbook); beyond it the coupon is
 * revoked from the newest orders and an alert goes out.
 */
@Saga({ name: COUPON_USAGE, events: COUPON_USAGE_EVENTS, key: 'couponId' })
export class CouponUsageSaga implements SagaDefinition<CouponUsageState> {
  constructor(private readonly settings: InvariantSettings) {}

  initialState(couponId: string): CouponUsageState {
    return {
      couponId,
      code: null,
      maxUses: null,
      allowedOverbooking: 0,
      holders: {},
      applied: 0,
      uses: 0,
      pendingRevokes: [],
      episode: null,
    };
  }

  evolve(state: CouponUsageState, message: SagaMessage): CouponUsageState {
    if (isEcho(message)) {
      const { output } = message;
      if (output.kind === 'violation' && output.action === 'open')
        return { ...state, episode: { id: output.violationId, revoked: [] } };
      if (output.kind === 'violation' && output.action === 'resolve') return { ...state, episode: null };
      if (output.kind === 'command' && output.type === 'RevokeCoupon') {
        const orderId = output.payload.orderId as string;
        const episode = state.episode && { ...state.episode, revoked: [...state.episode.revoked, orderId] };
        return { ...state, pendingRevokes: [...state.pendingRevokes, orderId], episode };
      }
      return state;
    }
    const p = message.payload;
    switch (message.type) {
      case 'CouponCreated':
        return { ...state, code: p.code, maxUses: p.maxUses, allowedOverbooking: p.allowedOverbooking };
      case 'CouponLimitChanged':
        return { ...state, maxUses: p.maxUses };
      case 'CouponApplied':
        // In place and O(1): a popular coupon has many holders (see SagaDefinition on ownership).
        state.applied += 1;
        if (!(p.orderId in state.holders)) state.uses += 1;
        state.holders[p.orderId] = state.applied;
        return state;
      case 'CouponRevoked':
      case 'OrderCancelled':
        return release(state, p.orderId);
      case COMPENSATION_REJECTED:
        return p.saga === COUPON_USAGE && p.commandType === 'RevokeCoupon' ? refused(state, p.orderId) : state;
      default:
        return state;
    }
  }

  decide(state: CouponUsageState, event: SagaEvent): SagaOutput[] {
    if (state.maxUses === null) return [];
    if (event.type === COMPENSATION_REJECTED && event.payload.saga !== COUPON_USAGE) return [];
    const { reactions } = this.settings.of(COUPON_USAGE);
    const allowed = state.maxUses + state.allowedOverbooking;
    const uses = state.uses;
    const breached = uses > allowed;
    const revokes = breached && reactions.includes('compensate') ? this.newestBeyond(state, allowed) : [];
    return episodeOutputs({
      invariant: COUPON_USAGE,
      key: state.couponId,
      event,
      openEpisodeId: state.episode?.id ?? null,
      breached,
      details: () => this.details(state, uses, revokes),
      alert: reactions.includes('alert'),
      compensate: (violationId) =>
        revokes.map((orderId) => ({
          kind: 'command' as const,
          type: 'RevokeCoupon',
          ref: orderId,
          payload: {
            orderId,
            reason: `coupon ${state.code ?? state.couponId} overbooked beyond its tolerance`,
            violationId,
          },
        })),
      mail: (alert, violationId) => {
        const action =
          alert === 'resolved'
            ? 'Uses are back within the allowed overbooking.'
            : revokes.length
              ? `Revoking the coupon from the ${revokes.length} newest order(s): ${revokes.join(', ')}.`
              : 'No compensation is configured; please review.';
        return this.mail(state, violationId, alert, event, uses, revokes, action);
      },
    });
  }

  /** Refused orders still count as uses, but are not asked for again in this episode. */
  private newestBeyond(state: CouponUsageState, allowed: number): string[] {
    const remaining = Object.entries(state.holders).filter(([id]) => !state.pendingRevokes.includes(id));
    const excess = remaining.length - allowed;
    if (excess <= 0) return [];
    const refused = new Set(state.episode?.refused ?? []);
    return remaining
      .filter(([id]) => !refused.has(id))
      .sort(([, a], [, b]) => b - a)
      .slice(0, excess)
      .map(([id]) => id);
  }

  private details(state: CouponUsageState, uses: number, revoking: string[]) {
    return {
      couponId: state.couponId,
      code: state.code,
      maxUses: state.maxUses,
      allowedOverbooking: state.allowedOverbooking,
      uses,
      revoking: [...(state.episode?.revoked ?? []), ...revoking],
    };
  }

  private mail(
    state: CouponUsageState,
    violationId: string,
    alert: 'opened' | 'resolved',
    event: SagaEvent,
    uses: number,
    revokes: string[],
    action: string,
  ) {
    return alertMail({
      violationId,
      alert,
      invariant: COUPON_USAGE,
      subjectOf: `coupon ${state.code ?? '?'} (${state.couponId})`,
      rule: "a coupon's uses must stay within its maximum plus the allowed overbooking",
      figures: [
        ['Maximum uses', state.maxUses ?? 0],
        ['Allowed overbooking', state.allowedOverbooking],
        ['Uses', uses],
      ],
      involved: Object.entries(state.holders)
        .sort(([, a], [, b]) => b - a)
        .map(([id]) => `order ${id}${revokes.includes(id) ? ' (coupon being revoked)' : ''}`),
      action,
      at: event.recordedAt,
    });
  }
}
