import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './api-exception.filter';
import { answerMalformedRequestsInJson } from './client-error';
import { weakETag } from './etag';
import { correlationMiddleware } from './request-meta';
import { DOCS_PATH, useCors, useSecurityHeaders } from './security';
import { refuseUnstorableUrl } from './storable-url';
import { useUtf8BodyParsers } from './utf8-body';
import { StrictValidationPipe } from './validation';

export interface HttpOptions {
  /** Largest request body accepted; a larger one is refused with 413 (default 100 kB). */
  bodyLimitBytes?: number;
  /** Origins whose browser pages may call the API (CORS); none by default. */
  corsOrigins?: readonly string[];
}

export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

/** HTTP set-up shared by the service and the tests, so both answer alike. */
export function configureApp<T extends INestApplication>(app: T, options: HttpOptions = {}): T {
  const express = app as unknown as NestExpressApplication;
  answerMalformedRequestsInJson(app.getHttpServer());
  express.set('etag', weakETag);
  // helmet removes the header anyway; not setting it saves a step per answer.
  express.disable('x-powered-by');
  // Headers first, so that even a refused URL or body answers with them.
  useSecurityHeaders(app);
  useCors(app, options.corsOrigins ?? []);
  express.use(refuseUnstorableUrl);
  useUtf8BodyParsers(app, { limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES });
  express.use(correlationMiddleware);
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Backstop')
      .setDescription('Invariants that span aggregates, enforced by minimize-and-react.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, document);
  return app;
}
