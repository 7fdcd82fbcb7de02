import { AggregateRoot } from '@nestjs/cqrs';

export interface Versioned {
  id: string;
  version: number;
}

/**
 * Base of Customer, Order and Coupon. The state is loaded from the
 * aggregate's row; `record` applies a new event through the cqrs
 * AggregateRoot (`on<EventName>` handlers) and keeps it for the repository
 * to append. `loadedVersion` is the optimistic-concurrency expectation.
 */
export abstract class Aggregate<S extends Versioned> extends AggregateRoot {
  readonly loadedVersion: number;

  protected constructor(protected state: S) {
    super();
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
  replay(events: object[]): this {
    for (const event of events) {
      this.apply(event, true);
      this.state = { ...this.state, version: this.state.version + 1 };
    }
    (this as { loadedVersion: number }).loadedVersion = this.state.version;
    return this;
  }

  protected record(event: object): void {
    this.apply(event);
    this.state = { ...this.state, version: this.state.version + 1 };
  }
}
