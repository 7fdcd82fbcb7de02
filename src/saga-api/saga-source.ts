import { SagaDefinition, SagaOptions } from './saga.types';

/**
 * A provider that contributes sagas it builds itself (the invariant registry
 * derives one per declared invariant). The saga registry collects every
 * provider branded with SAGA_SOURCE next to the @Saga classes, so the runtime
 * never imports the code that declares them.
 */
export const SAGA_SOURCE = Symbol.for('backstop.saga-source');

export interface SourcedSaga {
  options: SagaOptions;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each source's sagas have their own state type
  definition: SagaDefinition<any>;
}

export interface SagaSource {
  readonly [SAGA_SOURCE]: true;
  sagas(): SourcedSaga[];
}

export const isSagaSource = (value: unknown): value is SagaSource =>
  typeof value === 'object' && value !== null && (value as Partial<SagaSource>)[SAGA_SOURCE] === true;
