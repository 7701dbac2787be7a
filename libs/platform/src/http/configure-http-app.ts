import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import helmet from 'helmet';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { HttpApp } from './http-types';
import { answerParserError } from './parser-errors';
import { problem, ProblemFilter } from './problem.filter';
import { CommonErrorCode } from './domain-error';
import { registerRequestContext } from './request-context.hooks';
import { createValidationPipe } from './validation.pipe';
import { DirectRoutes, installDirectRoutes } from './direct-routes';

export type { HttpApp, HttpReply, HttpRequest } from './http-types';

export const API_PREFIX = 'api/v1';
const OUTSIDE_PREFIX = ['health/live', 'health/ready', 'metrics'];
/** The largest request body the API reads. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The HTTP server under Nest: Fastify (docs/adr/0004-fastify-http-adapter.md), set up as the
 * contract needs it. 100 kB bodies; proxies trusted on loopback only (the login limit counts per
 * address); a trailing slash and long path segments reach the routes (which answer 400 for a
 * malformed id) rather than a bare 404; what Node's HTTP parser refuses is answered as
 * problem+json.
 */
export function createHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: 'loopback',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
    clientErrorHandler: answerParserError,
    // A request that reaches the server while it closes is answered like any other (the database
    // and Redis stay open until the server has closed), not refused with a bare 503.
    return503OnClosing: false,
    // The router refuses a malformed percent-encoding (400) or a path segment over the limit
    // (414) before any hook runs; answered as problem+json with the security headers like the rest.
    frameworkErrors: (error: { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode === 414 ? 414 : 400;
      const detail = status === 414 ? 'A part of the address is too long.' : 'The address holds a malformed percent-encoding.';
      void reply
        .headers(securityHeaders(request.raw))
        .status(status)
        .type('application/problem+json')
        .send(JSON.stringify(problem(status, CommonErrorCode.VALIDATION_FAILED, detail)));
    },
  });
  // JSON only: an empty body is no body (a POST action without one), anything else must parse.
  // Key names such as `__proto__` stay plain data for the validation pipe to refuse with a
  // field-level 400 (JSON.parse never touches a prototype). A form body is refused like any other
  // content type the API does not take (415) instead of being parsed.
  adapter.useBodyParser(
    'application/json',
    false,
    { bodyLimit: BODY_LIMIT_BYTES },
    (_request: unknown, raw: Buffer, done: (error: Error | null, body?: unknown) => void) => {
      const text = raw.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        done(Object.assign(new Error('The request body is not valid JSON.'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }));
      }
    },
  );
  adapter.useBodyParser(
    'application/x-www-form-urlencoded',
    false,
    { bodyLimit: BODY_LIMIT_BYTES },
    (_request: unknown, _raw: Buffer, done: (error: Error | null) => void) =>
      done(Object.assign(new Error('The request body must be JSON.'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })),
  );
  return adapter;
}

/**
 * Everything HTTP-wide, applied identically by `main.ts` and by the tests: prefix, security
 * headers, request ids and access logs, validation, problem+json errors, OpenAPI at /api/docs,
 * and the web front end at /. Call before `listen()` or `init()`.
 */
export async function configureHttpApp(app: HttpApp): Promise<HttpApp> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const instance = app.getHttpAdapter().getInstance();
  registerRequestContext(instance, app.get(Metrics));
  installDirectRoutes(instance, app.get(DirectRoutes));
  instance.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeaders(request.raw));
    done();
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_PREFIX });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  setUpOpenApi(app);
  serveWebFrontEnd(app, config.webRoot);
  return app;
}

/**
 * Strict-Transport-Security, sent only on a response that travelled over TLS (the request came
 * over https, or a proxy on loopback says so in X-Forwarded-Proto). RFC 6797 forbids it over
 * plain http, where the pages are served on a centre's own network; behind the Kubernetes
 * ingress, which terminates TLS, the ingress sends it.
 */
const TRANSPORT_SECURITY = { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' };

/**
 * Whether a request travelled over TLS, by the rules `trustProxy: 'loopback'` gives
 * `request.protocol`: a proxy on loopback is believed about it (the last X-Forwarded-Proto
 * entry), anyone else only by the socket. Read from the raw request because the router's
 * refusals get a Fastify request that ignores the trusted proxy.
 */
export function cameOverTls(raw: IncomingMessage): boolean {
  const forwarded = raw.headers['x-forwarded-proto'];
  const from = raw.socket.remoteAddress ?? '';
  const loopback = from === '::1' || from.startsWith('127.') || from.startsWith('::ffff:127.');
  if (forwarded && loopback) {
    const entries = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',');
    return entries[entries.length - 1].trim() === 'https';
  }
  return (raw.socket as { encrypted?: boolean }).encrypted === true;
}

/**
 * The security headers of a response to `raw`: helmet's for our policy, plus
 * Strict-Transport-Security when the request came over TLS. Both sets are worked out once (they
 * depend on nothing else in the request), so no response runs the middleware again.
 */
let computedHeaders: { plain: Record<string, string>; overTls: Record<string, string> } | undefined;

function securityHeaders(raw: IncomingMessage): Record<string, string> {
  if (!computedHeaders) {
    const plain = helmetHeaders();
    computedHeaders = { plain, overTls: { ...plain, ...TRANSPORT_SECURITY } };
  }
  return cameOverTls(raw) ? computedHeaders.overTls : computedHeaders.plain;
}

function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI styles itself inline; scripts stay same-origin only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Helmet's default would have the browser fetch every asset over https, so pages served
        // over plain http (`npm start` opened from a counter's tablet on the centre's network)
        // would never load. Everything is same-origin: behind TLS nothing is insecure to upgrade.
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: false,
  });
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

function setUpOpenApi(app: HttpApp): void {
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

function serveWebFrontEnd(app: HttpApp, webRoot: string): void {
  const root = resolve(webRoot);
  let index: string;
  try {
    index = readFileSync(join(root, 'index.html'), 'utf8');
  } catch {
    return;
  }
  // Only the built assets are files; served under /assets so that no API request pays for a
  // file-system lookup first (a stat per request showed up in profiles of the API under load).
  app.useStaticAssets({ root: join(root, 'assets'), prefix: '/assets/', index: false, maxAge: '1h', decorateReply: false });
  // Client-side routes: any other page address asked for as a page gets the front end's
  // index.html, read once at start; anything else there stays a problem+json 404. The front
  // door `/` is the page whatever the client accepts. HEAD is answered as GET without the body
  // (a monitor or a link checker asking whether the page is there).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const path = request.url.split('?', 1)[0];
      const isPage =
        (request.method === 'GET' || request.method === 'HEAD') &&
        (path === '/' ||
          (!/^\/(api|health|metrics|assets)(\/|$)/.test(path) && !/\.[a-z0-9]+$/i.test(path) && (request.headers.accept ?? '').includes('text/html')));
      if (!isPage) return done();
      void reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(index);
    });
}
