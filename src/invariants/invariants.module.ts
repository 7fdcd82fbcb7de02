import { Global, Module } from '@nestjs/common';
import { BACKSTOP_OPTIONS, BackstopOptions } from '../backstop.options';
import { InvariantSettings } from './invariant-settings';

@Global()
@Module({
  providers: [
    {
      provide: InvariantSettings,
      inject: [BACKSTOP_OPTIONS],
      useFactory: (options: BackstopOptions) => new InvariantSettings(options.invariants),
    },
  ],
  exports: [InvariantSettings],
})
export class InvariantsModule {}
