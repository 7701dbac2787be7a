import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CommonError } from '../http/domain-error';
import { ALL_ROLES, type Principal, type Role } from './roles';

interface AccessClaims {
  sub: string;
  roles: Role[];
  fids: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Issues and verifies access tokens: HS256 only, so `alg: none` and key confusion fail. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  issue(principal: Principal): string {
    const claims: AccessClaims = { sub: principal.id, roles: principal.roles, fids: principal.facilityIds };
    return this.jwt.sign(claims, {
      secret: this.config.jwtSecret,
      algorithm: 'HS256',
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: 'eldercare',
      audience: 'eldercare-api',
    });
  }

  verify(token: string): Principal {
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token, {
        secret: this.config.jwtSecret,
        algorithms: ['HS256'],
        issuer: 'eldercare',
        audience: 'eldercare-api',
      });
    } catch {
      throw CommonError.unauthenticated('The access token is invalid or expired. Sign in again.');
    }
    const valid =
      typeof claims.sub === 'string' &&
      UUID.test(claims.sub) &&
      Array.isArray(claims.roles) &&
      claims.roles.every((role) => ALL_ROLES.includes(role)) &&
      Array.isArray(claims.fids) &&
      claims.fids.every((id) => typeof id === 'string');
    if (!valid) throw CommonError.unauthenticated('The access token is invalid. Sign in again.');
    return { id: claims.sub, roles: claims.roles, facilityIds: claims.fids };
  }
}
