import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './api-exception.filter';
import { answerMalformedRequestsInJson } from './client-error';
import { correlationMiddleware } from './request-meta';
import { refuseUnstorableUrl } from './storable-url';
import { useUtf8BodyParsers } from './utf8-body';
import { StrictValidationPipe } from './validation';

/** HTTP set-up shared by the service and the tests, so both answer alike. */
export function configureApp<T extends INestApplication>(app: T): T {
  const express = app as unknown as NestExpressApplication;
  answerMalformedRequestsInJson(app.getHttpServer());
  express.use(refuseUnstorableUrl);
  useUtf8BodyParsers(app, { limit: '1mb' });
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
  SwaggerModule.setup('docs', app, document);
  return app;
}
