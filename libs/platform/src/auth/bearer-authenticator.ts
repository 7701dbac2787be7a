import { Injectable } from '@nestjs/common';
import { CommonError } from '../http/domain-error';
import type { HttpRequest } from '../http/http-types';
import { requestContext } from '../logging/logger';
import { AccessTokenService } from './access-token.service';
import type { Principal } from './roles';
import { TokenRevocations } from './token-revocations';

const BEARER = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/;

/** A request once its caller is known: guards, decorators and handlers read `user`. */
export type AuthenticatedRequest = HttpRequest & { user?: Principal };

/**
 * Who sent a request, from its `Authorization` header: the access token's principal, unless the
 * token's version was withdrawn (an in-memory table, so no round trip). One implementation for
 * the access guard and for the routes served before Nest's pipeline (`DirectRoutes`).
 */
@Injectable()
export class BearerAuthenticator {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  /** The caller, undefined without an `Authorization` header; throws 401 for a bad or withdrawn token. */
  authenticate(request: HttpRequest): Principal | undefined {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const match = BEARER.exec(header);
    if (!match) throw CommonError.unauthenticated('The Authorization header must be "Bearer <access token>".');
    const principal = this.tokens.verify(match[1]);
    if (this.revocations.isRevoked(principal.id, principal.tokenVersion)) {
      throw CommonError.unauthenticated('This access token was withdrawn (password reset or change of roles). Sign in again.');
    }
    return principal;
  }

  /** Makes `principal` the request's caller, for handlers and for the request's log lines. */
  attach(request: AuthenticatedRequest, principal: Principal): void {
    request.user = principal;
    const store = requestContext.getStore();
    if (store) store.userId = principal.id;
  }
}
