import { Inject, Injectable, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { SAGA_METADATA } from '../saga-api/saga.decorator';
import { isSagaSource } from '../saga-api/saga-source';
import { SagaDefinition, SagaEvent, SagaOptions } from '../saga-api/saga.types';

export const DEFAULT_PARTITIONS = 4;

export interface RegisteredSaga {
  name: string;
  events: string[];
  partitions: number;
  keyOf(event: SagaEvent): string | undefined;
  /** The payload field holding the key, when the key is a field (lets partitions filter in SQL). */
  keyField?: string;
  definition: SagaDefinition<unknown>;
  /** The state's field kept one row per entry (SagaOptions.entries). */
  entries?: string;
}

/** Finds every @Saga provider of the application, Backstop's own and the host app's, and every SAGA_SOURCE's sagas. */
@Injectable()
export class SagaRegistry {
  private sagas?: RegisteredSaga[];

  constructor(
    private readonly discovery: DiscoveryService,
    @Optional() @Inject(BACKSTOP_OPTIONS) private readonly options?: BackstopOptions,
  ) {}

  all(): RegisteredSaga[] {
    if (!this.sagas) {
      const found = this.discovery
        .getProviders()
        .filter(
          (wrapper) => wrapper.metatype && wrapper.instance && Reflect.getMetadata(SAGA_METADATA, wrapper.metatype),
        )
        .map((wrapper) => toRegistered(Reflect.getMetadata(SAGA_METADATA, wrapper.metatype!), wrapper.instance));
      // Sagas derived by other code (each declared invariant's), found through their SAGA_SOURCE providers.
      const sources = [...new Set(this.discovery.getProviders().map((wrapper) => wrapper.instance))].filter(
        isSagaSource,
      );
      for (const source of sources)
        for (const { options, definition } of source.sagas()) found.push(toRegistered(options, definition));
      const names = found.map((saga) => saga.name);
      const duplicate = names.find((name, i) => names.indexOf(name) !== i);
      if (duplicate) throw new Error(`Two sagas are named ${duplicate}: saga names must be unique`);
      this.sagas = withConfiguredPartitions(found, this.options?.runtime?.partitions ?? {});
    }
    return this.sagas;
  }

  get(name: string): RegisteredSaga | undefined {
    return this.all().find((saga) => saga.name === name);
  }
}

function toRegistered(options: SagaOptions, definition: SagaDefinition<unknown>): RegisteredSaga {
  const { key } = options;
  return {
    name: options.name,
    events: [...options.events],
    partitions: options.partitions ?? DEFAULT_PARTITIONS,
    keyField: typeof key === 'string' ? key : undefined,
    keyOf:
      typeof key === 'function'
        ? key
        : (event) => {
            const value = event.payload[key];
            return typeof value === 'string' && value.length > 0 ? value : undefined;
          },
    definition,
    ...(options.entries ? { entries: options.entries } : {}),
  };
}

/** The configured counts win over the declarations; a name that matches no saga is a typo, not a no-op. */
function withConfiguredPartitions(sagas: RegisteredSaga[], configured: Record<string, number>): RegisteredSaga[] {
  const unknown = Object.keys(configured).filter((name) => !sagas.some((saga) => saga.name === name));
  if (unknown.length) {
    throw new Error(
      `Partition counts are configured (SAGA_PARTITIONS or runtime.partitions) ` +
        `for ${unknown.join(', ')}, which is no saga of this app`,
    );
  }
  for (const [name, count] of Object.entries(configured)) {
    if (!Number.isInteger(count) || count < 1 || count > 1024)
      throw new Error(`The partition count of saga ${name} must be an integer from 1 to 1024 (got ${count})`);
  }
  return sagas.map((saga) =>
    configured[saga.name] === undefined ? saga : { ...saga, partitions: configured[saga.name] },
  );
}
