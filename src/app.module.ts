import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { validateEnvironment } from './config/environment';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database/database-options';
import { runMigrations } from './database/run-migrations';
import { EventLogModule } from './event-log/event-log.module';
import { HealthModule } from './health/health.module';
import { CouponsModule } from './coupons/coupons.module';
import { CustomersModule } from './customers/customers.module';
import { InvariantOptions, InvariantsModule } from './invariants/invariants.module';
import { OrdersModule } from './orders/orders.module';
import { CommandsModule } from './shared/commands.module';

export interface AppOptions {
  /** The database actually used: DATABASE_URL, or the embedded server's. */
  databaseUrl: string;
  /** Invariant settings in code; without them they come from the environment. */
  invariants?: InvariantOptions;
}

/** The standalone service: configuration from the environment, HTTP API, workers. */
@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
        CqrsModule.forRoot(),
        TypeOrmModule.forRootAsync({
          useFactory: () => databaseOptions(options.databaseUrl),
          dataSourceFactory: async (dataSourceOptions) => {
            const dataSource = await new DataSource(dataSourceOptions!).initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
        EventLogModule,
        CommandsModule,
        InvariantsModule.forRoot(options.invariants),
        CustomersModule,
        CouponsModule,
        OrdersModule,
        HealthModule,
      ],
    };
  }
}
