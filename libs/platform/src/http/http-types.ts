import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The HTTP program: Nest on Fastify (docs/adr/0004-fastify-http-adapter.md). */
export type HttpApp = NestFastifyApplication;
/** A request as controllers, guards and filters see it. */
export type HttpRequest = FastifyRequest;
/** A response, for the few handlers that set a status or header themselves (`@Res({ passthrough: true })`). */
export type HttpReply = FastifyReply;
