import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CommonError } from '../http/domain-error';
import { requestContext } from '../logging/logger';
import { AccessTokenService } from './access-token.service';
import { ACCESS_METADATA, type AccessRule, type Principal } from './roles';

/**
 * Deny by default: a route is reachable only if it is marked `@Public()` or names the roles it
 * allows. A route that says neither is refused (and a test walking the router fails the build).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const principal = this.authenticate(request);
    if (principal) {
      request.user = principal;
      const store = requestContext.getStore();
      if (store) store.userId = principal.id;
    }
    if (!rule) {
      this.logger.error(`route ${request.method} ${request.route?.path ?? ''} declares no access rule; refused`);
      throw CommonError.forbidden('This route is not open to any role.');
    }
    if (rule.kind === 'public') return true;
    if (!principal) throw CommonError.unauthenticated();
    if (!principal.roles.some((role) => rule.roles.includes(role))) throw CommonError.forbidden();
    return true;
  }

  private authenticate(request: Request): Principal | undefined {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(header);
    if (!match) throw CommonError.unauthenticated('The Authorization header must be "Bearer <access token>".');
    return this.tokens.verify(match[1]);
  }
}
