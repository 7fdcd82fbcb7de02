import { Global, Module } from '@nestjs/common';
import { BACKSTOP_OPTIONS } from '../config/backstop.options';
import type { BackstopOptions } from '../config/backstop.options';
import { CouponUsageSaga } from './coupon-usage.saga';
import { CreditLimitSaga } from './credit-limit.saga';
import { InvariantSettings } from './invariant-settings';
import { InvariantsController } from './invariants.controller';
import { InvariantsOverview } from './invariants-overview';
import { ViolationQueries } from '../violations/violation-queries';
import { ViolationsController } from '../violations/violations.controller';

/** The built-in invariants: their settings and their sagas. */
@Global()
@Module({
  providers: [
    {
      provide: InvariantSettings,
      inject: [BACKSTOP_OPTIONS],
      useFactory: (options: BackstopOptions) => new InvariantSettings(options.invariants),
    },
    CreditLimitSaga,
    CouponUsageSaga,
    ViolationQueries,
    InvariantsOverview,
  ],
  exports: [InvariantSettings, ViolationQueries, InvariantsOverview],
  controllers: [ViolationsController, InvariantsController],
})
export class InvariantsModule {}
