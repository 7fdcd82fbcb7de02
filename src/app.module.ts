import { DynamicModule, Module } from '@nestjs/common';
import { join } from 'node:path';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { BackstopModule } from './backstop.module';
import { BackstopOptions, InvariantOptions, SagaRuntimeOptions } from './config/backstop.options';
import { parseSagaPartitions, validateEnvironment } from './config/environment';

export interface AppOptions {
  /** The database actually used: DATABASE_URL, or the embedded server's. */
  databaseUrl: string;
  /** Invariant settings in code; without them they come from the environment. */
  invariants?: InvariantOptions;
  runtime?: SagaRuntimeOptions;
}

function fromEnvironment(config: ConfigService, app: AppOptions): BackstopOptions {
  const alertTo = config.get<string>('ALERT_TO');
  return {
    databaseUrl: app.databaseUrl,
    runtime: {
      outboxLeaseMs: config.getOrThrow<number>('OUTBOX_LEASE_MS'),
      leaseMs: config.getOrThrow<number>('SAGA_LEASE_MS'),
      enabled: config.get('RUN_WORKERS') !== 'false',
      readHorizonWarnSeconds: config.getOrThrow<number>('READ_HORIZON_WARN_SECONDS'),
      partitions: parseSagaPartitions(config.get<string>('SAGA_PARTITIONS')),
      ...app.runtime,
    },
    mail: {
      smtpUrl: config.get<string>('SMTP_URL'),
      from: config.get<string>('ALERT_FROM'),
      directory: join(config.getOrThrow<string>('BACKSTOP_HOME'), 'mail'),
      connectionTimeoutMs: config.getOrThrow<number>('SMTP_CONNECTION_TIMEOUT_MS'),
      greetingTimeoutMs: config.getOrThrow<number>('SMTP_GREETING_TIMEOUT_MS'),
      socketTimeoutMs: config.getOrThrow<number>('SMTP_SOCKET_TIMEOUT_MS'),
    },
    database: { idleInTransactionTimeoutMs: config.getOrThrow<number>('PG_IDLE_IN_TRANSACTION_TIMEOUT_MS') },
    admin: {
      token: config.get<string>('ADMIN_TOKEN'),
      requireToken: config.get('NODE_ENV') === 'production',
      rateLimit: { limit: config.getOrThrow<number>('ADMIN_RATE_LIMIT') },
    },
    retention: {
      commandIdsDays: config.getOrThrow<number>('RETENTION_COMMAND_IDS_DAYS'),
      outboxDays: config.getOrThrow<number>('RETENTION_OUTBOX_DAYS'),
      mailDays: config.getOrThrow<number>('RETENTION_MAIL_DAYS'),
      violationsDays: config.getOrThrow<number>('RETENTION_VIOLATIONS_DAYS'),
      intervalMs: config.getOrThrow<number>('RETENTION_INTERVAL_SECONDS') * 1000,
      batchSize: config.getOrThrow<number>('RETENTION_BATCH_SIZE'),
    },
    alertTo: alertTo ? alertTo.split(',').map((address) => address.trim()) : undefined,
    // Unset: each invariant reads <NAME>_STRATEGY/_REACTIONS/_TOLERANCE from process.env, built-ins included.
    invariants: app.invariants,
  };
}

/** The standalone service: Backstop configured from the environment. */
@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
        BackstopModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) => fromEnvironment(config, options),
        }),
      ],
    };
  }
}
