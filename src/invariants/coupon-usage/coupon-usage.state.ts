import type { EventOf } from '../../aggregates/domain-event';
import type { CouponEvent } from '../../coupons/coupon.events';
import type { OrderEvent } from '../../orders/order.events';
import { assertNever, SagaEventOf, SagaOutput } from '../../saga-api/saga.types';

/** The events the coupon-usage invariant subscribes to: the coupon's, and the orders' that take or give back a use. */
export type CouponUsageEvent = CouponEvent | EventOf<OrderEvent, 'CouponApplied' | 'CouponRevoked' | 'OrderCancelled'>;

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
  /**
   * `refused`: revocations the domain refused in this episode, not asked for again (absent in states stored before it).
   */
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
export function refusedRevoke(state: CouponUsageState, orderId: string): CouponUsageState {
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

/** Folds an echo of the saga's own output: the episode it opened or resolved, a revocation it asked for. */
export function echoCouponUsage(state: CouponUsageState, output: SagaOutput): CouponUsageState {
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

/** Folds the coupon's events: its limits, and the orders holding it. */
export function evolveCouponUsage(state: CouponUsageState, event: SagaEventOf<CouponUsageEvent>): CouponUsageState {
  switch (event.type) {
    case 'CouponCreated': {
      const { code, maxUses, allowedOverbooking } = event.payload;
      return { ...state, code, maxUses, allowedOverbooking };
    }
    case 'CouponLimitChanged':
      return { ...state, maxUses: event.payload.maxUses };
    case 'CouponApplied':
      // In place and O(1): a popular coupon has many holders (see SagaDefinition on ownership).
      state.applied += 1;
      if (!(event.payload.orderId in state.holders)) state.uses += 1;
      state.holders[event.payload.orderId] = state.applied;
      return state;
    case 'CouponRevoked':
    case 'OrderCancelled':
      return release(state, event.payload.orderId);
    default:
      return assertNever(event);
  }
}

/** Refused orders still count as uses, but are not asked for again in this episode. */
export function newestBeyond(state: CouponUsageState, allowed: number): string[] {
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
