import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { answerParserErrors } from './parser-errors';
import { ProblemFilter } from './problem.filter';
import { requestContextMiddleware } from './request-context.middleware';
import { createValidationPipe } from './validation.pipe';

export const API_PREFIX = 'api/v1';
const OUTSIDE_PREFIX = ['health/live', 'health/ready', 'metrics'];

/**
 * Everything HTTP-wide, applied identically by `main.ts` and by the tests: prefix, security
 * headers, 100 kB body limit, request ids and access logs, validation, problem+json errors,
 * OpenAPI at /api/docs, the web front end at /, and graceful shutdown.
 */
export function configureHttpApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContextMiddleware(app.get(Metrics)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // Swagger UI styles itself inline; scripts stay same-origin only.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
        },
      },
    }),
  );
  app.useBodyParser('json', { limit: '100kb' });
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_PREFIX });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  answerParserErrors(app.getHttpServer());
  setUpOpenApi(app);
  serveWebFrontEnd(app, config.webRoot);
  return app;
}

function setUpOpenApi(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Eldercare API')
      .setDescription(
        'District elderly-care services: bed inventory, volunteer time bank, senior-university enrolment and care-centre operations. ' +
          'Errors are application/problem+json (RFC 9457) with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

function serveWebFrontEnd(app: NestExpressApplication, webRoot: string): void {
  const root = resolve(webRoot);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  // Only the built assets are files; served under /assets so that no API request pays for a
  // file-system lookup first (a stat per request showed up in profiles of the API under load).
  app.useStaticAssets(join(root, 'assets'), { prefix: '/assets/', index: false, maxAge: '1h' });
  // Client-side routes: any other page address gets the front end's index.html.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const isPage =
      request.method === 'GET' &&
      !/^\/(api|health|metrics)(\/|$)/.test(request.path) &&
      !/\.[a-z0-9]+$/i.test(request.path) &&
      (request.headers.accept ?? '').includes('text/html');
    if (!isPage) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
