import type { CustomerEvent } from '../../customers/customer.events';
import type { OrderEvent } from '../../orders/order.events';
import { assertNever, SagaEvent, SagaEventOf, SagaOutput } from '../../saga-api/saga.types';

/** The events the credit-limit invariant subscribes to: every customer and order event. */
export type CreditLimitEvent = CustomerEvent | OrderEvent;

export interface TrackedOrder {
  total: number;
  discount: number;
  status: 'open' | 'on_hold';
  /** Order of OrderCreated in the log (the order the saga sees it): higher is newer. */
  seq: number;
}

export interface CreditLimitState {
  customerId: string;
  name: string | null;
  email: string | null;
  creditLimit: number | null;
  /** Open and held orders only; closed orders are dropped. */
  orders: Record<string, TrackedOrder>;
  /** Sum of (total - discount) over the open orders, kept up to date by evolve. */
  exposure: number;
  /** Holds asked for and not yet seen as OrderPutOnHold (or closed, or refused). */
  pendingHolds: string[];
  /** `refused`: holds the domain refused in this episode, not asked for again (absent in states stored before it). */
  episode: { id: string; openedAt: string; held: string[]; released: string[]; refused?: string[] } | null;
  /** OrderCreated events seen so far: the source of `seq`. */
  created: number;
}

export const net = (order: TrackedOrder) => order.total - order.discount;

/** Exposure as the log shows it: every open order counts. */
export const exposure = (state: CreditLimitState): number => state.exposure;

/** Exposure once the holds already asked for have happened. */
export function projectedExposure(state: CreditLimitState): number {
  return state.pendingHolds.reduce(
    (sum, id) => sum - (state.orders[id]?.status === 'open' ? net(state.orders[id]) : 0),
    state.exposure,
  );
}

const remove = (list: string[], id: string) => {
  const index = list.indexOf(id);
  if (index >= 0) list.splice(index, 1);
};

/** Changes one tracked order and keeps the exposure total in step. */
function change(state: CreditLimitState, orderId: string, update: Partial<TrackedOrder> | null): void {
  const before = state.orders[orderId];
  if (!before) return;
  if (before.status === 'open') state.exposure -= net(before);
  if (update === null) {
    delete state.orders[orderId];
    return;
  }
  const after = Object.assign(before, update);
  if (after.status === 'open') state.exposure += net(after);
}

export const CREDIT_LIMIT_SAGA = 'credit-limit';

/**
 * The domain refused a hold. Usually the saga has already seen why (the
 * order closed or was held first) and dropped it; otherwise the order still
 * counts, and decide must pick another one instead of waiting forever.
 */
export function refusedHold(state: CreditLimitState, orderId: string): CreditLimitState {
  remove(state.pendingHolds, orderId);
  if (!state.episode) return state;
  remove(state.episode.held, orderId);
  state.episode.refused = [...(state.episode.refused ?? []), orderId];
  return state;
}

/** Folds an echo of the saga's own output: the episode it opened or resolved, a hold it asked for. */
export function echoCreditLimit(state: CreditLimitState, output: SagaOutput, cause: SagaEvent): CreditLimitState {
  if (output.kind === 'violation' && output.action === 'open') {
    state.episode = {
      id: output.violationId,
      openedAt: new Date(cause.recordedAt).toISOString(),
      held: [],
      released: [],
    };
  } else if (output.kind === 'violation' && output.action === 'resolve') {
    state.episode = null;
  } else if (output.kind === 'command' && output.type === 'HoldOrder') {
    const orderId = output.payload.orderId as string;
    state.pendingHolds.push(orderId);
    state.episode?.held.push(orderId);
  }
  return state;
}

/**
 * Folds events into the customer's credit picture in O(1) per event. It
 * updates the state it is given in place: the runtime hands each batch a
 * private copy fresh from storage, so nothing outside the saga's own state
 * is touched, and the result depends on the events alone.
 */
export function evolveCreditLimit(state: CreditLimitState, event: SagaEventOf<CreditLimitEvent>): CreditLimitState {
  switch (event.type) {
    case 'CustomerRegistered': {
      const { name, email, creditLimit } = event.payload;
      Object.assign(state, { name, email, creditLimit });
      break;
    }
    case 'CustomerCreditLimitChanged':
      state.creditLimit = event.payload.newLimit;
      break;
    case 'OrderCreated':
      state.created += 1;
      state.orders[event.payload.orderId] = {
        total: event.payload.total,
        discount: 0,
        status: 'open',
        seq: state.created,
      };
      state.exposure += event.payload.total;
      break;
    case 'OrderTotalChanged':
      change(state, event.payload.orderId, { total: event.payload.newTotal, discount: event.payload.discount });
      break;
    case 'CouponApplied':
      change(state, event.payload.orderId, { discount: event.payload.discount });
      break;
    case 'CouponRevoked':
      change(state, event.payload.orderId, { discount: 0 });
      break;
    case 'OrderPutOnHold':
      change(state, event.payload.orderId, { status: 'on_hold' });
      remove(state.pendingHolds, event.payload.orderId);
      break;
    case 'OrderReleased':
      change(state, event.payload.orderId, { status: 'open' });
      state.episode?.released.push(event.payload.orderId);
      break;
    case 'OrderCancelled':
    case 'OrderCompleted':
      change(state, event.payload.orderId, null);
      remove(state.pendingHolds, event.payload.orderId);
      break;
    default:
      return assertNever(event);
  }
  return state;
}
