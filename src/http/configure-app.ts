import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** HTTP set-up shared by the service and the tests, so both answer alike. */
export function configureApp(app: INestApplication): INestApplication {
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
