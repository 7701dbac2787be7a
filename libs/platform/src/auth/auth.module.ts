import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AccessTokenService } from './access-token.service';
import { RateLimiter } from './rate-limiter';

/** Token issuing and verification, the deny-by-default guard, and Redis rate limits. */
@Global()
@Module({
  providers: [AccessTokenService, RateLimiter, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [AccessTokenService, RateLimiter],
})
export class AuthModule {}
