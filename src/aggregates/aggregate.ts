import { DomainEvent } from './domain-event';

export interface Versioned {
  id: string;
  version: number;
}

/**
 * Base of Customer, Order and Coupon. The state is loaded from the
 * aggregate's row; `record` applies a new event (the subclass's `apply`, an
 * exhaustive switch over its event union E) and keeps it for the repository
 * to append. `loadedVersion` is the optimistic-concurrency expectation.
 */
export abstract class Aggregate<S extends Versioned, E extends DomainEvent = DomainEvent> {
  readonly loadedVersion: number;
  private pending: E[] = [];

  protected constructor(protected state: S) {
    this.loadedVersion = state.version;
  }

  get id(): string {
    return this.state.id;
  }

  get version(): number {
    return this.state.version;
  }

  get isNew(): boolean {
    return this.loadedVersion === 0;
  }

  snapshot(): Readonly<S> {
    return { ...this.state };
  }

  /** Applies past events without recording them (given/when/then specs). */
  replay(events: readonly E[]): this {
    for (const event of events) {
      this.apply(event);
      this.state = { ...this.state, version: this.state.version + 1 };
    }
    (this as { loadedVersion: number }).loadedVersion = this.state.version;
    return this;
  }

  /** The events recorded since the load, for the repository to append. */
  getUncommittedEvents(): readonly E[] {
    return [...this.pending];
  }

  /** After the append. */
  uncommit(): void {
    this.pending = [];
  }

  protected record(event: E): void {
    this.apply(event);
    this.state = { ...this.state, version: this.state.version + 1 };
    this.pending.push(event);
  }

  /** The state after one event: `switch (event.type)`, ending in `default: assertNever(event)`. */
  protected abstract apply(event: E): void;
}
