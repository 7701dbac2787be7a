import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../logging/logger';
import type { Metrics } from '../metrics/metrics';

const REQUEST_ID = /^[A-Za-z0-9\-_.:]{1,100}$/;

/**
 * Gives each request an id (the caller's `X-Request-Id` when well-formed), runs the rest of the
 * request inside that context, and writes one access-log line and one metric when it ends.
 */
export function requestContextMiddleware(metrics: Metrics) {
  const logger = new Logger('http');
  return (request: Request, response: Response, next: NextFunction): void => {
    const header = request.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    const store: { requestId: string; userId?: string } = { requestId };
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const path = request.baseUrl + route;
      metrics.httpDuration.observe({ method: request.method, route: path, status: String(response.statusCode) }, seconds);
      // Logged inside the request's context so the line carries its request and user ids.
      requestContext.run(store, () => {
        if (route === 'unmatched' && response.statusCode < 400) return;
        logger.log({ msg: 'request', method: request.method, route: path, status: response.statusCode, ms: Math.round(seconds * 1000) });
      });
    });
    requestContext.run(store, next);
  };
}
