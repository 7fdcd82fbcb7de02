import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { SagaOptions } from './saga.types';

export const SAGA_METADATA = 'backstop:saga';

/**
 * Declares a durable saga. The class is a Nest provider implementing
 * SagaDefinition; the runtime finds it among the application's providers.
 *
 *   @Saga({ name: 'max-open-orders', events: ['OrderCreated', 'OrderCancelled'], key: 'customerId' })
 *   export class MaxOpenOrdersSaga implements SagaDefinition<State> { ... }
 */
export const Saga = <T extends string = string>(options: SagaOptions<T>) =>
  applyDecorators(Injectable(), SetMetadata(SAGA_METADATA, options));
