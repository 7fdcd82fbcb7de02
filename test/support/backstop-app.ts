import { INestApplication, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AddressInfo } from 'node:net';
import { BackstopModule } from '../../src/backstop.module';
import { BackstopOptions } from '../../src/config/backstop.options';
import { configureApp, HttpOptions } from '../../src/http/configure-app';

export interface RunningApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** An app that imports BackstopModule (as a user's app would) plus extra modules, listening on a free port. */
export async function startBackstopApp(
  options: BackstopOptions,
  imports: Type<unknown>[] = [],
  http: HttpOptions = {},
): Promise<RunningApp> {
  @Module({ imports: [BackstopModule.forRoot(options), ...imports] })
  class HostModule {}

  const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }), http);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // A refused start leaves no pool or worker behind in the test process.
    await app.close().catch(() => undefined);
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
