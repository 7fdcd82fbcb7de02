import { noticePayload, parseNotice } from '../event-log/append-notifier';
import type { RegisteredSaga } from './saga-registry';
import { SagaWakes } from './saga-wakes';

const saga = (name: string, events: string[]) => ({ name, events }) as RegisteredSaga;

describe('wake-ups by event type', () => {
  const sagas = [saga('credit', ['OrderCreated', 'CouponApplied']), saga('coupons', ['CouponApplied'])];
  const woken = (wakes: SagaWakes) => sagas.map((s) => wakes.of(s.name).wakes);

  it('wakes the sagas subscribed to one of the appended types, and only those', () => {
    const wakes = new SagaWakes(() => sagas);
    wakes.wake(new Set(['OrderCreated']));
    expect(woken(wakes)).toEqual([1, 0]);
    wakes.wake(new Set(['CouponApplied', 'OrderCreated']));
    expect(woken(wakes)).toEqual([2, 1]);
    wakes.wake(new Set(['CustomerRegistered']));
    expect(woken(wakes)).toEqual([2, 1]);
  });

  it('wakes every saga when the types are not known', () => {
    const wakes = new SagaWakes(() => sagas);
    wakes.wake();
    expect(woken(wakes)).toEqual([1, 1]);
  });

  it("reads another instance's notice, an older instance's bare id and an oversized one as a wake-up for all", () => {
    expect(parseNotice(noticePayload('a', new Set(['OrderCreated'])))).toEqual({
      origin: 'a',
      types: ['OrderCreated'],
    });
    expect(parseNotice('0b7c5d6e-legacy')).toEqual({ origin: '0b7c5d6e-legacy' });
    const many = new Set(Array.from({ length: 2_000 }, (_, i) => `Type${i}`));
    expect(parseNotice(noticePayload('a', many))).toEqual({ origin: 'a' });
    // NOTIFY counts bytes: 4,000 two-byte characters fit in 7,000 characters, not in 7,000 bytes.
    expect(parseNotice(noticePayload('a', new Set(['Ü'.repeat(4_000)])))).toEqual({ origin: 'a' });
  });
});
