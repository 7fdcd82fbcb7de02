import { isEcho, SagaMessage } from '../sagas/saga.types';

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
  /** Open and held orders only; closed orders are dropped, so the state stays small. */
  orders: Record<string, TrackedOrder>;
  /** Holds asked for and not yet seen as OrderPutOnHold. */
  pendingHolds: string[];
  episode: { id: string; openedAt: string; held: string[]; released: string[] } | null;
  /** OrderCreated events seen so far: the source of `seq`. */
  created: number;
}

export const net = (order: TrackedOrder) => order.total - order.discount;

/** Exposure as the log shows it: every open order counts. */
export function exposure(state: CreditLimitState): number {
  return Object.values(state.orders).reduce((sum, order) => sum + (order.status === 'open' ? net(order) : 0), 0);
}

/** Exposure once the holds already asked for have happened. */
export function projectedExposure(state: CreditLimitState): number {
  return exposure(state) - state.pendingHolds.reduce((sum, id) => sum + (state.orders[id]?.status === 'open' ? net(state.orders[id]) : 0), 0);
}

const without = (list: string[], id: string) => list.filter((item) => item !== id);

function updateOrder(state: CreditLimitState, orderId: string, change: Partial<TrackedOrder>): CreditLimitState {
  const order = state.orders[orderId];
  return order ? { ...state, orders: { ...state.orders, [orderId]: { ...order, ...change } } } : state;
}

/** Folds events (and echoes of the saga's own outputs) into the customer's credit picture. */
export function evolveCreditLimit(state: CreditLimitState, message: SagaMessage): CreditLimitState {
  if (isEcho(message)) {
    const { output, cause } = message;
    if (output.kind === 'violation' && output.action === 'open') {
      return { ...state, episode: { id: output.violationId, openedAt: new Date(cause.recordedAt).toISOString(), held: [], released: [] } };
    }
    if (output.kind === 'violation' && output.action === 'resolve') return { ...state, episode: null };
    if (output.kind === 'command' && output.type === 'HoldOrder') {
      const orderId = output.payload.orderId as string;
      const episode = state.episode && { ...state.episode, held: [...state.episode.held, orderId] };
      return { ...state, pendingHolds: [...state.pendingHolds, orderId], episode };
    }
    return state;
  }
  const p = message.payload;
  switch (message.type) {
    case 'CustomerRegistered':
      return { ...state, name: p.name, email: p.email, creditLimit: p.creditLimit };
    case 'CustomerCreditLimitChanged':
      return { ...state, creditLimit: p.newLimit };
    case 'OrderCreated': {
      const order: TrackedOrder = { total: p.total, discount: 0, status: 'open', seq: state.created + 1 };
      return { ...state, created: state.created + 1, orders: { ...state.orders, [p.orderId]: order } };
    }
    case 'OrderTotalChanged':
      return updateOrder(state, p.orderId, { total: p.newTotal, discount: p.discount });
    case 'CouponApplied':
      return updateOrder(state, p.orderId, { discount: p.discount });
    case 'CouponRevoked':
      return updateOrder(state, p.orderId, { discount: 0 });
    case 'OrderPutOnHold':
      return { ...updateOrder(state, p.orderId, { status: 'on_hold' }), pendingHolds: without(state.pendingHolds, p.orderId) };
    case 'OrderReleased': {
      const released = updateOrder(state, p.orderId, { status: 'open' });
      const episode = state.episode && { ...state.episode, released: [...state.episode.released, p.orderId] };
      return { ...released, episode };
    }
    case 'OrderCancelled':
    case 'OrderCompleted': {
      const { [p.orderId]: _, ...orders } = state.orders;
      return { ...state, orders, pendingHolds: without(state.pendingHolds, p.orderId) };
    }
    default:
      return state;
  }
}
