/**
 * `nest-backstop/testing`: given/when/then helpers for sagas, invariants and aggregates,
 * and `eventually` for asynchronous work. Framework-free (no Nest, no
 * database); the assertions use jest's global `expect`.
 */
export { givenSaga, sagaEvent } from './saga-spec';
export { given } from './aggregate-spec';
export { eventually } from './eventually';
export type { EventuallyOptions } from './eventually';
export { givenInvariant } from './invariant-spec';
export type { InvariantOutcome, InvariantResult, InvariantSpecOptions } from './invariant-spec';
