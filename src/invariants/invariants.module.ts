import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { InvariantRegistry } from './invariant-registry';
import { InvariantSettings } from './invariant-settings';
import { InvariantsController } from './invariants.controller';
import { InvariantsOverview } from './invariants-overview';
import { ViolationQueries } from '../violations/violation-queries';
import { ViolationsController } from '../violations/violations.controller';

/** The invariant runtime: settings by name, the registry of declarations (and their derived sagas), the overview. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: InvariantSettings,
      inject: [BACKSTOP_OPTIONS],
      useFactory: (options: BackstopOptions) =>
        new InvariantSettings(options.invariants, options.environment ?? process.env),
    },
    InvariantRegistry,
    ViolationQueries,
    InvariantsOverview,
  ],
  exports: [InvariantSettings, InvariantRegistry, ViolationQueries, InvariantsOverview],
  controllers: [ViolationsController, InvariantsController],
})
export class InvariantsModule {}
