import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { HttpReply, HttpRequest } from './http-types';

/**
 * Serves a request of a hot route before Nest's pipeline runs, or declines it. Resolves `true`
 * once it has answered (success or problem+json), `false` when the request is not one it takes;
 * Nest's route then handles it as if the direct handler did not exist. A handler must decline
 * before it changes anything, and must never answer a request that the Nest route would answer
 * differently.
 */
export type DirectHandler = (request: HttpRequest, reply: HttpReply) => Promise<boolean>;

/**
 * Routes with a direct handler, by method and full path (`POST /api/v1/…`). Filled by providers'
 * constructors, which run when the application is created, before its routes are registered.
 *
 * Why it exists: on the enrolment accept route Nest's pipeline (router, guards, the validation
 * pipe's class-transformer and class-validator) cost more CPU per request than the work itself
 * (docs/adr/0007-direct-accept-route.md). A direct handler keeps everything Fastify does for the
 * route (body limit and parser, security headers, request id and context, access log, metrics)
 * and the route stays a Nest route for everything it declines, for the OpenAPI document and the
 * access-rule walk.
 */
@Injectable()
export class DirectRoutes {
  private readonly handlers = new Map<string, DirectHandler>();

  register(method: string, path: string, handler: DirectHandler): void {
    const key = `${method} ${path}`;
    if (this.handlers.has(key)) throw new Error(`a direct handler for ${key} is already registered`);
    this.handlers.set(key, handler);
  }

  handlerFor(method: string, path: string): DirectHandler | undefined {
    return this.handlers.get(`${method} ${path}`);
  }
}

/** Puts each registered direct handler in front of its route's own handler, as Nest registers the route. */
export function installDirectRoutes(instance: FastifyInstance, routes: DirectRoutes): void {
  instance.addHook('onRoute', (route) => {
    if (typeof route.method !== 'string') return;
    const direct = routes.handlerFor(route.method, route.url);
    if (!direct) return;
    const framework = route.handler as (request: HttpRequest, reply: HttpReply) => unknown;
    const handler = async (request: HttpRequest, reply: HttpReply): Promise<unknown> => {
      // Returning the reply tells Fastify that the handler has answered (it waits for the end of
      // the response rather than sending anything itself).
      if (await direct(request, reply)) return reply;
      return framework(request, reply);
    };
    route.handler = handler;
  });
}
