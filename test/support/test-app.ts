import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AddressInfo } from 'node:net';
import { AppModule, AppOptions } from '../../src/app.module';
import { configureApp } from '../../src/http/configure-app';

export interface TestApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** The service's AppModule on a test database, listening on a free port. */
export async function startTestApp(
  databaseUrl: string,
  options: Omit<AppOptions, 'databaseUrl'> = {},
): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ databaseUrl, ...options })],
  }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
