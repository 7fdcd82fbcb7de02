/**
 * A domain event: an explicit, stable `type` (what the log stores as
 * `event_type`, never a class name) and a plain JSON payload. Each aggregate's
 * events form one union, so `switch (event.type)` narrows the payload and an
 * unhandled variant is a compile error (`assertNever`).
 */
export interface DomainEvent<T extends string = string, P extends object = object> {
  readonly type: T;
  readonly payload: P;
}

/** The variant of the union E with type T. */
export type EventOf<E extends DomainEvent, T extends E['type']> = Extract<E, { type: T }>;

/** The payload of the variant of E with type T. */
export type Payload<E extends DomainEvent, T extends E['type']> = EventOf<E, T>['payload'];

/**
 * Factories for the union E: `const orderCreated = factoriesOf<OrderEvent>()('OrderCreated')`, then
 * `orderCreated({ orderId, customerId, total })`.
 */
export const factoriesOf =
  <E extends DomainEvent>() =>
  <T extends E['type']>(type: T) =>
  (payload: Payload<E, T>): EventOf<E, T> =>
    ({ type, payload }) as unknown as EventOf<E, T>;

/** The end of an exhaustive switch: reached only by a value the union does not have. */
export function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
