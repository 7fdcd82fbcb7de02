import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { ConfigurationError, logLevelsFrom, parseOrigins, validateEnvironment } from './config/environment';
import { limitHeapGrowth } from './config/heap-growth';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { configureApp } from './http/configure-app';
import { BatchedConsoleLogger } from './telemetry/batched-console-logger';

const logger = new Logger('Backstop');

// Before any load: peak memory under load is mostly garbage awaiting a full collection (src/config/heap-growth.ts).
limitHeapGrowth();

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnvironment(process.env);
  // JSON lines for log collectors; readable text on a terminal.
  const json = env.NODE_ENV === 'production' || !process.stdout.isTTY;
  const logLevels = logLevelsFrom(env.LOG_LEVEL);
  const consoleLogger = json
    ? new BatchedConsoleLogger({ json, colors: false, logLevels, flattenParams: true })
    : new ConsoleLogger({ colors: true, logLevels, flattenParams: true });
  Logger.overrideLogger(consoleLogger);

  if (env.NODE_ENV === 'production' && !env.ADMIN_TOKEN) {
    logger.warn(
      'ADMIN_TOKEN is not set: the dashboard, /violations, /sagas and admin calls are refused (403) until it is',
    );
  }

  let embedded: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(env.BACKSTOP_HOME, 'pg'),
      port: env.EMBEDDED_PG_PORT,
      logger: new Logger('EmbeddedPostgres'),
    });
  }
  const databaseUrl = env.DATABASE_URL ?? embedded!.url;

  let app;
  try {
    app = configureApp(
      await NestFactory.create(AppModule.forRoot({ databaseUrl }), { abortOnError: false, logger: consoleLogger }),
      {
        bodyLimitBytes: env.BODY_LIMIT_BYTES,
        corsOrigins: parseOrigins(env.CORS_ORIGINS),
      },
    );
    await app.listen(env.PORT);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(`Backstop listening on http://localhost:${port} (API docs at http://localhost:${port}/docs)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    await app.close();
    await embedded?.stop();
    logger.log('Stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    console.error(error.message);
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
});
