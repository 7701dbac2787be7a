import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { requestContext } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';

const REQUEST_ID = /^[A-Za-z0-9\-_.:]{1,100}$/;

interface RequestStore {
  requestId: string;
  userId?: string;
}

const stores = new WeakMap<object, { store: RequestStore; started: bigint }>();

/**
 * Gives each request an id (the caller's `X-Request-Id` when well-formed), runs its handler
 * (guards, pipes, the controller and what it awaits) inside that context, and writes one
 * access-log line and one metric when it ends.
 */
export function registerRequestContext(instance: FastifyInstance, metrics: Metrics): void {
  const logger = new Logger('http');
  instance.addHook('onRequest', (request, reply, done) => {
    const header = request.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    void reply.header('X-Request-Id', requestId);
    stores.set(request, { store: { requestId }, started: process.hrtime.bigint() });
    done();
  });
  // After the body is read (its events come from the socket, outside any request's context):
  // what runs from here on, the handler included, sees the request's store.
  instance.addHook('preHandler', (request, _reply, done) => {
    const entry = stores.get(request);
    if (entry) requestContext.run(entry.store, done);
    else done();
  });
  instance.addHook('onResponse', (request, reply, done) => {
    const entry = stores.get(request);
    const seconds = entry ? Number(process.hrtime.bigint() - entry.started) / 1e9 : 0;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    // Logged inside the request's context so the line carries its request and user ids.
    requestContext.run(entry?.store ?? { requestId: '' }, () => {
      if (route === 'unmatched' && reply.statusCode < 400) return;
      logger.log({ msg: 'request', method: request.method, route, status: reply.statusCode, ms: Math.round(seconds * 1000) });
    });
    done();
  });
}
