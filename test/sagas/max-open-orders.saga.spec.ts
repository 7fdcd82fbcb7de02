import { episodeId } from '../../src/violations/episode-id';
import { givenSaga, sagaEvent } from '../../src/testing/saga-spec';
import { MaxOpenOrdersSaga } from '../fixtures/max-open-orders.saga';

const created = (orderId: string) => sagaEvent('OrderCreated', { orderId, customerId: 'c', total: 1 });

describe('MaxOpenOrdersSaga (pure functions, through the saga spec helper)', () => {
  const saga = new MaxOpenOrdersSaga();

  it('decides nothing up to 3 open orders', () => {
    givenSaga(saga, 'c', created('1'), created('2')).when(created('3')).then([]);
  });

  it('opens an episode on the 4th open order, with an id derived from that event', () => {
    const fourth = created('4');
    const state = givenSaga(saga, 'c', created('1'), created('2'), created('3'))
      .when(fourth)
      .then([
        {
          kind: 'violation',
          action: 'open',
          invariant: 'max-open-orders',
          violationId: episodeId('max-open-orders', 'c', fourth.id),
          details: { openOrders: 4, max: 3 },
        },
      ]);
    expect(state.violationId).toBe(episodeId('max-open-orders', 'c', fourth.id));
  });

  it('does not open a second episode while one is open, and resolves it once back within the rule', () => {
    const fourth = created('4');
    const given = givenSaga(saga, 'c', created('1'), created('2'), created('3'), fourth);
    expect(given.when(created('5')).outputs).toEqual([]);
    given.when(sagaEvent('OrderCancelled', { orderId: '1', customerId: 'c' })).then([
      {
        kind: 'violation',
        action: 'resolve',
        invariant: 'max-open-orders',
        violationId: episodeId('max-open-orders', 'c', fourth.id),
        details: { openOrders: 3, max: 3 },
      },
    ]);
  });
});
