import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/app-config';
import { AccessTokenService } from './access-token.service';
import { Role } from './roles';

/**
 * Proves that remembering verified tokens changes no answer: a token verified once is answered
 * alike while it is valid, refused from the second it expires, and a token differing from it in
 * one character of its signature is still refused.
 */
describe('access tokens, verified once and remembered', () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ACCESS_TOKEN_TTL_SECONDS: '60',
  });
  const principal = { id: '6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f', roles: [Role.VOLUNTEER], facilityIds: [], tokenVersion: 2 };
  afterEach(() => jest.restoreAllMocks());

  it('answers a repeated token with the same principal, and one bent in its signature with 401', () => {
    const tokens = new AccessTokenService(config);
    const token = tokens.issue(principal);
    expect(tokens.verify(token)).toEqual(principal);
    expect(tokens.verify(token)).toEqual(principal);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const bent = `${token.slice(0, -2)}${last}${token.slice(-1)}`;
    expect(() => tokens.verify(bent)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }) as Error);
  });

  it('refuses a remembered token from the second it expires', () => {
    const tokens = new AccessTokenService(config);
    const issuedAt = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(issuedAt);
    const token = tokens.issue(principal);
    expect(tokens.verify(token).id).toBe(principal.id);
    const expiresAt = (Math.floor(issuedAt / 1000) + config.accessTokenTtlSeconds) * 1000;
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt - 1);
    expect(tokens.verify(token).id).toBe(principal.id);
    jest.spyOn(Date, 'now').mockReturnValue(expiresAt);
    expect(() => tokens.verify(token)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }) as Error);
  });

  it('hands out a principal no caller can change for the next request', () => {
    const tokens = new AccessTokenService(config);
    const verified = tokens.verify(tokens.issue(principal));
    expect(() => verified.roles.push(Role.ADMIN)).toThrow(TypeError);
    expect(tokens.verify(tokens.issue(principal)).roles).toEqual([Role.VOLUNTEER]);
  });
});
