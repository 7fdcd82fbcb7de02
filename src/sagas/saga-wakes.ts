import { WakeSignal } from '../outbox/wake-signal';
import type { RegisteredSaga } from './saga-registry';

/**
 * A wake-up signal per saga: a commit wakes only the sagas that subscribe to
 * one of the event types it appended, so a saga whose events are rare does
 * not read the log after every command of the others.
 */
export class SagaWakes {
  private readonly signals = new Map<string, WakeSignal>();

  constructor(private readonly sagas: () => readonly RegisteredSaga[]) {}

  of(saga: string): WakeSignal {
    let signal = this.signals.get(saga);
    if (!signal) this.signals.set(saga, (signal = new WakeSignal()));
    return signal;
  }

  /** Without `types` (an older instance's notice, a reconnect, shutdown): every saga. */
  wake(types?: ReadonlySet<string>): void {
    for (const saga of this.sagas()) {
      if (!types || saga.events.some((type) => types.has(type))) this.of(saga.name).wake();
    }
  }
}
