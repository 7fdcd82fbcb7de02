import { Inject, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { SAGA_SOURCE, SagaSource, SourcedSaga } from '../saga-api/saga-source';
import { Invariant, isInvariant } from './define-invariant';
import { invariantSaga, invariantSagaOptions } from './invariant-saga';
import { InvariantSettings } from './invariant-settings';

/** Provides a declaration to the app: Backstop finds it among the providers (see BackstopModule.forInvariants). */
export const invariantProvider = (invariant: Invariant) => ({
  provide: Symbol.for(`backstop.invariant:${invariant.name}`),
  useValue: invariant,
});

/**
 * Every declared invariant of the application (the built-ins and the host's:
 * any provider whose value is a defineInvariant declaration). It derives one
 * saga per declaration for the saga registry, which reads it as a SAGA_SOURCE.
 */
@Injectable()
export class InvariantRegistry implements SagaSource, OnApplicationBootstrap {
  readonly [SAGA_SOURCE] = true as const;
  private invariants?: Invariant[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly settings: InvariantSettings,
    @Optional() @Inject(BACKSTOP_OPTIONS) private readonly options?: BackstopOptions,
  ) {}

  /** Settings for a name no declaration has are a typo, not a no-op: the start stops. Bad variables stop it too. */
  onApplicationBootstrap(): void {
    const names = this.names();
    const unknown = Object.keys(this.options?.invariants ?? {}).filter((name) => !names.includes(name));
    if (unknown.length)
      throw new Error(
        `Settings are configured for ${unknown.join(', ')}, which ` +
          `is no declared invariant (declared: ${names.join(', ')})`,
      );
    for (const name of names) this.settings.of(name);
  }

  all(): Invariant[] {
    if (!this.invariants) {
      const found = [...new Set(this.discovery.getProviders().map((wrapper) => wrapper.instance))].filter(isInvariant);
      const names = found.map((invariant) => invariant.name);
      const duplicate = names.find((name, i) => names.indexOf(name) !== i);
      if (duplicate) throw new Error(`Two invariants are named ${duplicate}: invariant names must be unique`);
      this.invariants = found;
    }
    return this.invariants;
  }

  names(): string[] {
    return this.all().map((invariant) => invariant.name);
  }

  get(name: string): Invariant | undefined {
    return this.all().find((invariant) => invariant.name === name);
  }

  sagas(): SourcedSaga[] {
    return this.all().map((invariant) => ({
      options: invariantSagaOptions(invariant),
      definition: invariantSaga(invariant, () => this.settings.of(invariant.name)),
    }));
  }
}
