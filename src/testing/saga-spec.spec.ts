import { isEcho, SagaDefinition, SagaEvent, SagaMessage, SagaOutput } from '../saga-api/saga.types';
import { givenSaga, sagaEvent } from './saga-spec';

interface State {
  orders: number;
  held: string[];
}

/** Holds every order after the second of a customer. */
const twoOrders: SagaDefinition<State> = {
  initialState: () => ({ orders: 0, held: [] }),
  evolve(state: State, message: SagaMessage): State {
    if (isEcho(message)) return { ...state, held: [...state.held, String(message.output.kind)] };
    return { ...state, orders: state.orders + 1 };
  },
  decide(state: State, event: SagaEvent): SagaOutput[] {
    return state.orders > 2
      ? [{ kind: 'command', type: 'HoldOrder', payload: { orderId: event.payload.orderId } }]
      : [];
  },
};

const created = (orderId: string) => sagaEvent('OrderCreated', { orderId, customerId: 'c-1' });

describe('givenSaga(...).when(...).thenNothingHappened()', () => {
  it('passes when the event decides nothing, and returns the state after it', () => {
    const state = givenSaga(twoOrders, 'c-1', created('o-1')).when(created('o-2')).thenNothingHappened();

    expect(state).toEqual({ orders: 2, held: [] });
  });

  it('fails, naming the outputs, when the event decides something', () => {
    const when = givenSaga(twoOrders, 'c-1', created('o-1'), created('o-2')).when(created('o-3'));

    expect(() => when.thenNothingHappened()).toThrow(/HoldOrder/);
    expect(when.then([{ kind: 'command', type: 'HoldOrder', payload: { orderId: 'o-3' } }])).toEqual({
      orders: 3,
      held: ['command'],
    });
  });
});
