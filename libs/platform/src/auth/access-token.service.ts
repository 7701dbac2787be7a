import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CommonError } from '../http/domain-error';
import { isUuid } from '../http/uuid';
import { ALL_ROLES, type Principal, type Role } from './roles';

interface AccessClaims {
  sub: string;
  roles: Role[];
  fids: string[];
  /** The user's token version when it was issued (absent in tokens issued before versions existed). */
  ver?: number;
  exp?: number;
}

/** Most verified tokens remembered at once (about 5 MB); the oldest goes first. */
const MAX_VERIFIED = 10_000;

/** Issues and verifies access tokens: HS256 only, so `alg: none` and key confusion fail. */
@Injectable()
export class AccessTokenService {
  /**
   * The secret as a KeyObject: given a string, jsonwebtoken first tries to parse it as a public
   * key on every call, which costs about 50 times the HMAC itself.
   */
  private readonly key: KeyObject;
  /**
   * Tokens already verified, with their principal, until they expire. A client sends the same
   * token with every request for its lifetime, and checking its signature and claims each time
   * was about a tenth of the API's work per request. Keyed by the whole token, signature
   * included, so only a byte-for-byte identical token is found; its expiry is checked at every
   * use, and withdrawal (the token version) is still checked per request by the guard.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  issue(principal: Principal): string {
    const claims: AccessClaims = { sub: principal.id, roles: principal.roles, fids: principal.facilityIds, ver: principal.tokenVersion ?? 0 };
    return jwt.sign(claims, this.key, {
      algorithm: 'HS256',
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: 'eldercare',
      audience: 'eldercare-api',
    });
  }

  verify(token: string): Principal {
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken refuses a token from the second its `exp` names.
      if (Date.now() < known.expiresAtMs) return known.principal;
      this.verified.delete(token);
    }
    return this.verifyClaims(token);
  }

  private verifyClaims(token: string): Principal {
    let claims: AccessClaims;
    try {
      claims = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: 'eldercare',
        audience: 'eldercare-api',
      }) as AccessClaims;
    } catch {
      throw CommonError.unauthenticated('The access token is invalid or expired. Sign in again.');
    }
    // jsonwebtoken checks `exp` only when present: a token without one would never expire.
    const valid =
      typeof claims.exp === 'number' &&
      typeof claims.sub === 'string' &&
      isUuid(claims.sub) &&
      Array.isArray(claims.roles) &&
      claims.roles.every((role) => ALL_ROLES.includes(role)) &&
      Array.isArray(claims.fids) &&
      claims.fids.every((id) => typeof id === 'string') &&
      (claims.ver === undefined || (Number.isSafeInteger(claims.ver) && claims.ver >= 0));
    if (!valid) throw CommonError.unauthenticated('The access token is invalid. Sign in again.');
    const principal: Principal = Object.freeze({
      id: claims.sub,
      roles: Object.freeze([...claims.roles]) as Role[],
      facilityIds: Object.freeze([...claims.fids]) as string[],
      tokenVersion: claims.ver ?? 0,
    });
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, expiresAtMs: (claims.exp as number) * 1000 });
    return principal;
  }
}
