import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureApp } from 'nest-backstop';
import { AddressInfo } from 'node:net';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  // Backstop's HTTP set-up: validation, its error format ({statusCode, code, message}), security headers, /docs.
  const app = configureApp(await NestFactory.create(AppModule, { abortOnError: false }));
  await app.listen(Number(process.env.PORT ?? 3000));
  const logger = new Logger('HostApp');
  logger.log(`Host app listening on http://localhost:${(app.getHttpServer().address() as AddressInfo).port}`);

  // Closing the app stops Backstop's saga runtime and outbox workers and closes the pool before the exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received, shutting down`);
      void app.close().then(() => process.exit(0));
    });
  }
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
