import { episodeId } from '../../violations/episode-id';
import { CommandOutput, MailOutput, SagaOutput, ViolationOutput } from '../../saga-api/saga.types';
import { givenSaga, sagaEvent } from '../../testing/saga-spec';
import { invariantSaga } from '../invariant-saga';
import { InvariantSettings } from '../invariant-settings';
import { creditLimit } from './credit-limit.invariant';

const saga = (reactions: ('alert' | 'compensate')[] = ['alert', 'compensate'], tolerance = 0) =>
  invariantSaga(creditLimit, () =>
    new InvariantSettings({ 'credit-limit': { reactions, tolerance } }).of(creditLimit.name),
  );
const registered = sagaEvent('CustomerRegistered', {
  customerId: 'c',
  name: 'Ada <script>',
  email: 'ada@example.com',
  creditLimit: 1000,
});
const order = (orderId: string, total: number) => sagaEvent('OrderCreated', { orderId, customerId: 'c', total });
const kinds = (outputs: SagaOutput[]) =>
  outputs.map((o) =>
    o.kind === 'violation'
      ? `${o.kind}:${o.action}`
      : o.kind === 'command'
        ? `${o.type}:${o.payload.orderId}`
        : `mail:${o.alert}`,
  );

describe('CreditLimitSaga', () => {
  const o1 = order('o1', 300);
  const o2 = order('o2', 300);
  const o3 = order('o3', 300);
  const raise = (orderId: string, previousTotal: number, newTotal: number) =>
    sagaEvent('OrderTotalChanged', { orderId, customerId: 'c', previousTotal, newTotal, discount: 0 });
  const heldEvent = (orderId: string) => sagaEvent('OrderPutOnHold', { orderId, customerId: 'c', reason: 'x' });

  it('does nothing while exposure stays within the limit', () => {
    givenSaga(saga(), 'c', registered, o1, o2)
      .when(raise('o2', 300, 700))
      .then([]);
  });

  it('on a breach opens one episode, holds the newest orders until it fits, and queues one alert', () => {
    const breach = raise('o1', 300, 800); // 800 + 300 + 300 = 1400
    const result = givenSaga(saga(), 'c', registered, o1, o2, o3).when(breach);
    const violationId = episodeId('credit-limit', 'c', breach.id);
    expect(kinds(result.outputs)).toEqual(['violation:open', 'mail:opened', 'HoldOrder:o3', 'HoldOrder:o2']);
    const open = result.outputs[0] as ViolationOutput;
    expect(open).toMatchObject({ violationId, details: { creditLimit: 1000, exposure: 1400, holding: ['o3', 'o2'] } });
    expect((result.outputs[2] as CommandOutput).payload).toEqual({
      orderId: 'o3',
      reason: 'credit limit of customer c exceeded',
      violationId,
    });
    const mail = result.outputs[1] as MailOutput;
    expect(mail.subject).toBe(
      '[Backstop] Violation opened: credit-limit for customer Ada <script> <ada@example.com> (c)',
    );
    expect(mail.text).toContain('Exposure (cents): 1400');
    expect(mail.text).toContain(`Violation id: ${violationId}`);
    expect(mail.html).toContain('Ada &lt;script&gt;');
    expect(mail.html).not.toContain('<script>');
  });

  it('holds and mails no more on the next event of the same episode, and resolves once the holds land', () => {
    const breach = raise('o1', 300, 800);
    const given = givenSaga(saga(), 'c', registered, o1, o2, o3, breach);
    // Projected after the pending holds: 800; a small order still fits, a large one is held too.
    expect(kinds(given.when(order('o4', 1)).outputs)).toEqual(['violation:update']);
    expect(kinds(given.when(order('o5', 300)).outputs)).toEqual(['violation:update', 'HoldOrder:o5']);
    expect(kinds(given.when(heldEvent('o3')).outputs)).toEqual(['violation:update']);

    const resolved = givenSaga(saga(), 'c', registered, o1, o2, o3, breach, heldEvent('o3')).when(heldEvent('o2'));
    expect(kinds(resolved.outputs)).toEqual(['violation:resolve', 'mail:resolved']);
    expect((resolved.outputs[1] as MailOutput).subject).toMatch(/^\[Backstop\] Violation resolved: credit-limit/);
  });

  it('opens on a lowered limit and resolves when the limit is raised', () => {
    const lowered = sagaEvent('CustomerCreditLimitChanged', { customerId: 'c', previousLimit: 1000, newLimit: 500 });
    const opened = givenSaga(saga(['alert']), 'c', registered, o1, o2).when(lowered);
    expect(kinds(opened.outputs)).toEqual(['violation:open', 'mail:opened']);
    const raised = givenSaga(saga(['alert']), 'c', registered, o1, o2, lowered).when(
      sagaEvent('CustomerCreditLimitChanged', { customerId: 'c', previousLimit: 500, newLimit: 800 }),
    );
    expect(kinds(raised.outputs)).toEqual(['violation:resolve', 'mail:resolved']);
  });

  it('accepts exposure within the tolerance silently', () => {
    givenSaga(saga(undefined, 150), 'c', registered, o1, o2, o3).when(order('o4', 250)).then([]);
  });

  it('does not re-hold an order a human released during the episode', () => {
    const o4 = order('o4', 400); // 1300: hold o4 (400) -> 900
    // 900 > 600: hold o3 -> 600
    const lowered = sagaEvent('CustomerCreditLimitChanged', { customerId: 'c', previousLimit: 1000, newLimit: 600 });
    // racing release: 600 + 400 - pending o3
    const released = sagaEvent('OrderReleased', { orderId: 'o4', customerId: 'c' });
    const given = givenSaga(saga(), 'c', registered, o1, o2, o3, o4, heldEvent('o4'));
    expect(given.state.episode).toBeNull();
    const during = givenSaga(saga(), 'c', registered, o1, o2, o3, o4, heldEvent('o4'), lowered);
    expect(during.state.pendingHolds).toEqual(['o3']);
    // o4 is the newest but a human released it: o2 and o1 are held instead.
    expect(kinds(during.when(released).outputs)).toEqual(['violation:update', 'HoldOrder:o2', 'HoldOrder:o1']);
  });

  it('only alerts when compensation is not configured', () => {
    const result = givenSaga(saga(['alert']), 'c', registered, o1, o2, o3).when(order('o4', 200));
    expect(kinds(result.outputs)).toEqual(['violation:open', 'mail:opened']);
    expect((result.outputs[1] as MailOutput).text).toContain('No compensation is configured');
  });

  describe('a refused hold (CompensationRejected)', () => {
    const refused = (orderId: string, saga = 'credit-limit') =>
      sagaEvent('CompensationRejected', {
        saga,
        key: 'c',
        customerId: 'c',
        commandId: `hold-${orderId}`,
        commandType: 'HoldOrder',
        orderId,
        code: 'INVALID_STATE',
        reason: 'refused',
      });
    const breach = raise('o1', 300, 800); // 1400: hold o3, o2

    it(
      'is no longer waited for: the newest order not yet asked for ' +
        'is held instead, and the episode resolves when the holds land',
      () => {
        const given = givenSaga(saga(), 'c', registered, o1, o2, o3, breach);
        expect(given.state.pendingHolds).toEqual(['o3', 'o2']);
        // The saga still counts o3 (it saw nothing that closed it): holding o2 leaves 1100, so o1 goes too.
        const next = given.when(refused('o3'));
        expect(kinds(next.outputs)).toEqual(['violation:update', 'HoldOrder:o1']);
        expect(next.state.pendingHolds).toEqual(['o2', 'o1']);
        expect(next.state.episode).toMatchObject({ held: ['o2', 'o1'], refused: ['o3'] });

        const settled = givenSaga(saga(), 'c', registered, o1, o2, o3, breach, refused('o3'), heldEvent('o2')).when(
          heldEvent('o1'),
        );
        expect(kinds(settled.outputs)).toEqual(['violation:resolve', 'mail:resolved']);
      },
    );

    it('is not asked for again in the same episode', () => {
      const given = givenSaga(saga(), 'c', registered, o1, o2, o3, breach, refused('o3'), refused('o2'), refused('o1'));
      expect(given.state.pendingHolds).toEqual([]);
      expect(kinds(given.when(order('o4', 1)).outputs)).toEqual(['violation:update', 'HoldOrder:o4']);
    });

    it('changes nothing more when the order was already closed before the hold ran', () => {
      const completed = sagaEvent('OrderCompleted', { orderId: 'o3', customerId: 'c' });
      const given = givenSaga(saga(), 'c', registered, o1, o2, o3, breach, completed);
      expect(given.state.pendingHolds).toEqual(['o2']);
      const after = given.when(refused('o3'));
      expect(kinds(after.outputs)).toEqual(['violation:update']);
      expect(after.state.pendingHolds).toEqual(['o2']);
      expect(after.state.exposure).toBe(given.state.exposure);
    });

    it("ignores another saga's refused command", () => {
      const given = givenSaga(saga(), 'c', registered, o1, o2, o3, breach);
      const after = given.when(refused('o3', 'max-open-orders'));
      expect(after.outputs).toEqual([]);
      expect(after.state).toEqual(given.state);
    });
  });
});
