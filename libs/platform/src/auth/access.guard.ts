import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CommonError } from '../http/domain-error';
import type { HttpRequest } from '../http/http-types';
import { isUuid } from '../http/uuid';
import { ActingFor, ACTS_FOR_SENIOR_METADATA } from './acting-for';
import { type AuthenticatedRequest, BearerAuthenticator } from './bearer-authenticator';
import { ACCESS_METADATA, type AccessRule, type Principal } from './roles';

/** A readable stream: what a route answering with a file hands the HTTP layer. */
function isStream(body: object): boolean {
  return typeof (body as { pipe?: unknown }).pipe === 'function';
}

/**
 * Deny by default: a route is reachable only if it is marked `@Public()` or names the roles it
 * allows. A route that says neither is refused (and a test walking the router fails the build).
 *
 * Authentication is decided here once: the token (and whether its version was revoked, from an
 * in-memory table, so no round trip), and, on routes marked `@ActsForSenior()`, for whom the
 * caller acts. The role check then applies to the senior's principal.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: BearerAuthenticator,
    private readonly actingFor: ActingFor,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticator.authenticate(request);
    if (principal) this.authenticator.attach(request, principal);
    if (!rule) {
      this.logger.error(`route ${request.method} ${request.routeOptions?.url ?? ''} declares no access rule; refused`);
      throw CommonError.forbidden('This route is not open to any role.');
    }
    if (rule.kind === 'public') return true;
    if (!principal) throw CommonError.unauthenticated();
    if (this.reflector.get<boolean | undefined>(ACTS_FOR_SENIOR_METADATA, context.getHandler())) {
      const seniorId = this.takeSeniorId(request);
      if (seniorId !== undefined && seniorId.toLowerCase() !== principal.id) {
        return this.actFor(context, request, principal, seniorId.toLowerCase(), rule.roles);
      }
    }
    if (!principal.roles.some((role) => rule.roles.includes(role))) throw CommonError.forbidden();
    return true;
  }

  /**
   * Takes `seniorId` out of the body (POST) or the query (otherwise), so the route's own
   * validation sees only its own fields. A malformed one is a 400.
   */
  private takeSeniorId(request: HttpRequest): string | undefined {
    const body: unknown = request.body;
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'seniorId' in body) {
      const { seniorId, ...rest } = body as Record<string, unknown>;
      request.body = rest;
      return this.checkedSeniorId(seniorId);
    }
    const query = request.query as Record<string, unknown>;
    if (query && 'seniorId' in query) {
      const { seniorId, ...rest } = query;
      // Express computes `req.query` from the URL on every read; an own property shadows it.
      Object.defineProperty(request, 'query', { value: rest, writable: true, configurable: true, enumerable: true });
      return this.checkedSeniorId(seniorId);
    }
    return undefined;
  }

  private checkedSeniorId(value: unknown): string {
    if (!isUuid(value)) {
      throw CommonError.validation('seniorId must be the id of a senior.', [{ field: 'seniorId', message: 'seniorId must be a UUID' }]);
    }
    return value;
  }

  private async actFor(
    context: ExecutionContext,
    request: AuthenticatedRequest,
    actor: Principal,
    seniorId: string,
    roles: readonly string[],
  ): Promise<boolean> {
    const senior = await this.actingFor.resolve(actor, seniorId);
    // Anyone not allowed to act for this senior learns nothing about them: 404, as for no senior.
    if (!senior?.actedBy) throw CommonError.notFound('senior');
    if (!senior.roles.some((role) => roles.includes(role))) throw CommonError.forbidden();
    this.authenticator.attach(request, senior);
    this.recordOnSuccess(context, request, senior);
    return true;
  }

  /**
   * Adds `actedBy` to a successful JSON answer and records the action for the senior's history.
   * A reading (GET) is answered with `actedBy` but not recorded.
   */
  private recordOnSuccess(context: ExecutionContext, request: AuthenticatedRequest, senior: Principal): void {
    // Express answers objects through `res.json`, Fastify through `reply.send`; either is wrapped
    // for this one response, so requests that act for nobody pay nothing.
    const response = context.switchToHttp().getResponse<{ statusCode: number; json?: (body: unknown) => unknown; send: (body: unknown) => unknown }>();
    const method = typeof response.json === 'function' ? 'json' : 'send';
    const original = (response[method] as (body: unknown) => unknown).bind(response);
    // The route's pattern (Fastify: routeOptions.url; Express: route.path), without the API prefix.
    const routed = request as unknown as { routeOptions?: { url?: string }; route?: { path?: string }; url: string };
    const pattern = routed.routeOptions?.url ?? routed.route?.path ?? routed.url.split('?')[0];
    const action = `${request.method} ${pattern.replace(/^\/api\/v\d+/, '')}`;
    const record = request.method !== 'GET';
    response[method] = (body: unknown) => {
      response[method] = original;
      // A file (a stream, as Nest sends a StreamableFile) goes out as it is.
      if (response.statusCode < 400 && body !== null && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) && !isStream(body)) {
        const fields = body as Record<string, unknown>;
        if (record) {
          const subject = [fields.ticketId, fields.id].find(isUuid) ?? null;
          this.actingFor
            .record(senior, action, subject)
            .catch((error: Error) => this.logger.error(`could not record an action taken for a senior: ${error.message}`));
        }
        return original({ ...fields, actedBy: senior.actedBy });
      }
      return original(body);
    };
  }
}
