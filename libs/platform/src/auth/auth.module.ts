import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AccessTokenService } from './access-token.service';
import { ActingFor } from './acting-for';
import { BearerAuthenticator } from './bearer-authenticator';
import { TokenRevocations } from './token-revocations';
import { RateLimiter } from './rate-limiter';
import { DirectRoutes } from '../http/direct-routes';
import { UnexpectedBodyGuard } from '../http/unexpected-body.guard';

/**
 * Token issuing and verification, the deny-by-default guard, Redis rate limits, and the registry
 * of direct handlers (HTTP-only, like the rest of this module). Global guards run in the order
 * listed: who may call the route first, then whether it was sent a body it does not take.
 */
@Global()
@Module({
  providers: [
    AccessTokenService,
    RateLimiter,
    TokenRevocations,
    ActingFor,
    BearerAuthenticator,
    DirectRoutes,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: UnexpectedBodyGuard },
  ],
  exports: [AccessTokenService, RateLimiter, TokenRevocations, ActingFor, BearerAuthenticator, DirectRoutes],
})
export class AuthModule {}
