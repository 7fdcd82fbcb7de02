import { DynamicModule, Global, Module, ModuleMetadata } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BACKSTOP_OPTIONS, BackstopOptions } from './config/backstop.options';
import { CouponsModule } from './coupons/coupons.module';
import { CustomersModule } from './customers/customers.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { databaseOptions } from './database/database-options';
import { assertTransactionIdsAhead, TransactionIdsBehindLogError } from './event-log/transaction-id-check';
import { openDataSource } from './database/open-data-source';
import { runMigrations } from './database/run-migrations';
import { EventLogModule } from './event-log/event-log.module';
import { HealthModule } from './health/health.module';
import { AdminRateLimitModule } from './http/admin-rate-limit';
import { CouponUsageModule } from './invariants/coupon-usage/coupon-usage.module';
import { CreditLimitModule } from './invariants/credit-limit/credit-limit.module';
import { Invariant } from './invariants/define-invariant';
import { invariantProvider } from './invariants/invariant-registry';
import { InvariantsModule } from './invariants/invariants.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrdersModule } from './orders/orders.module';
import { SagasModule } from './sagas/sagas.module';
import { CommandsModule } from './commands/commands.module';
import { migrations } from '../migrations';

export interface BackstopAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: any[];
  useFactory: (...args: any[]) => BackstopOptions | Promise<BackstopOptions>;
}

/** A host's invariants: each declaration becomes a provider the invariant registry finds. */
@Module({})
class HostInvariantsModule {}

@Global()
@Module({})
class BackstopOptionsModule {
  static register({ imports = [], inject = [], useFactory }: BackstopAsyncOptions): DynamicModule {
    return {
      module: BackstopOptionsModule,
      imports,
      providers: [{ provide: BACKSTOP_OPTIONS, inject, useFactory }],
      exports: [BACKSTOP_OPTIONS],
    };
  }
}

/**
 * Backstop in one import: the event log, the Customer/Order/Coupon API, the
 * durable saga runtime with its outboxes, and the built-in invariants. Sagas
 * of the importing app (classes with @Saga among its providers) run too, and
 * so do its invariants (defineInvariant declarations, imported with
 * `BackstopModule.forInvariants([...])`).
 */
@Module({})
export class BackstopModule {
  /** Declares the host's invariants: each gets its saga, settings by name, /invariants row, metrics and audit. */
  static forInvariants(invariants: Invariant[]): DynamicModule {
    return { module: HostInvariantsModule, providers: invariants.map(invariantProvider) };
  }

  static forRoot(options: BackstopOptions): DynamicModule {
    return BackstopModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(options: BackstopAsyncOptions): DynamicModule {
    return {
      module: BackstopModule,
      imports: [
        BackstopOptionsModule.register(options),
        AdminRateLimitModule,
        CqrsModule.forRoot(),
        TypeOrmModule.forRootAsync({
          inject: [BACKSTOP_OPTIONS],
          useFactory: (resolved: BackstopOptions) => ({
            ...databaseOptions(
              resolved.databaseUrl,
              { migrations: [...migrations, ...(resolved.database?.migrations ?? [])] },
              resolved.database?.idleInTransactionTimeoutMs,
            ),
            // A restored cluster does not heal by waiting: say so at once.
            toRetry: (error: unknown) => !(error instanceof TransactionIdsBehindLogError),
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            const dataSource = await openDataSource(dataSourceOptions!);
            await runMigrations(dataSource);
            await assertTransactionIdsAhead(dataSource.manager);
            return dataSource;
          },
        }),
        MetricsModule,
        EventLogModule,
        CommandsModule,
        InvariantsModule,
        CreditLimitModule,
        CouponUsageModule,
        CustomersModule,
        CouponsModule,
        OrdersModule,
        SagasModule,
        HealthModule,
        DashboardModule,
      ],
    };
  }
}
