import { episodeId } from '../sagas/episode-id';
import { Saga } from '../sagas/saga.decorator';
import { isEcho, SagaDefinition, SagaEvent, SagaMessage, SagaOutput } from '../sagas/saga.types';
import { alertMail } from './alert-mail';
import { InvariantSettings } from './invariant-settings';

export const COUPON_USAGE = 'coupon-usage';
export const COUPON_USAGE_EVENTS = ['CouponCreated', 'CouponLimitChanged', 'CouponApplied', 'CouponRevoked', 'OrderCancelled'];

export interface CouponUsageState {
  couponId: string;
  code: string | null;
  maxUses: number | null;
  allowedOverbooking: number;
  /** Orders holding the coupon -> order of CouponApplied in the log (higher is newer). */
  holders: Record<string, number>;
  /** CouponApplied events seen so far: the source of the holders' order. */
  applied: number;
  pendingRevokes: string[];
  episode: { id: string; revoked: string[] } | null;
}

const without = (list: string[], id: string) => list.filter((item) => item !== id);

function release(state: CouponUsageState, orderId: string): CouponUsageState {
  const { [orderId]: _, ...holders } = state.holders;
  return { ...state, holders, pendingRevokes: without(state.pendingRevokes, orderId) };
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
    return { couponId, code: null, maxUses: null, allowedOverbooking: 0, holders: {}, applied: 0, pendingRevokes: [], episode: null };
  }

  evolve(state: CouponUsageState, message: SagaMessage): CouponUsageState {
    if (isEcho(message)) {
      const { output } = message;
      if (output.kind === 'violation' && output.action === 'open') return { ...state, episode: { id: output.violationId, revoked: [] } };
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
        return { ...state, applied: state.applied + 1, holders: { ...state.holders, [p.orderId]: state.applied + 1 } };
      case 'CouponRevoked':
      case 'OrderCancelled':
        return release(state, p.orderId);
      default:
        return state;
    }
  }

  decide(state: CouponUsageState, event: SagaEvent): SagaOutput[] {
    if (state.maxUses === null) return [];
    const { reactions } = this.settings.of(COUPON_USAGE);
    const allowed = state.maxUses + state.allowedOverbooking;
    const uses = Object.keys(state.holders).length;
    const violationId = state.episode?.id ?? episodeId(COUPON_USAGE, state.couponId, event.id);
    const outputs: SagaOutput[] = [];

    if (uses <= allowed) {
      if (!state.episode) return [];
      outputs.push({ kind: 'violation', action: 'resolve', invariant: COUPON_USAGE, violationId, details: this.details(state, uses, []) });
      if (reactions.includes('alert')) outputs.push(this.mail(state, violationId, 'resolved', event, uses, [], 'Uses are back within the allowed overbooking.'));
      return outputs;
    }

    const revokes = reactions.includes('compensate') ? this.newestBeyond(state, allowed) : [];
    const details = this.details(state, uses, revokes);
    if (!state.episode) {
      outputs.push({ kind: 'violation', action: 'open', invariant: COUPON_USAGE, violationId, details });
      const action = revokes.length
        ? `Revoking the coupon from the ${revokes.length} newest order(s): ${revokes.join(', ')}.`
        : 'No compensation is configured; please review.';
      if (reactions.includes('alert')) outputs.push(this.mail(state, violationId, 'opened', event, uses, revokes, action));
    } else {
      outputs.push({ kind: 'violation', action: 'update', invariant: COUPON_USAGE, violationId, details });
    }
    for (const orderId of revokes) {
      outputs.push({
        kind: 'command',
        type: 'RevokeCoupon',
        ref: orderId,
        payload: { orderId, reason: `coupon ${state.code ?? state.couponId} overbooked beyond its tolerance`, violationId },
      });
    }
    return outputs;
  }

  private newestBeyond(state: CouponUsageState, allowed: number): string[] {
    const remaining = Object.entries(state.holders).filter(([id]) => !state.pendingRevokes.includes(id));
    const excess = remaining.length - allowed;
    if (excess <= 0) return [];
    return remaining
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

  private mail(state: CouponUsageState, violationId: string, alert: 'opened' | 'resolved', event: SagaEvent, uses: number, revokes: string[], action: string) {
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
