/**
 * Proves forged and bent access tokens are refused with 401 UNAUTHENTICATED, beyond the expired,
 * unsigned and wrongly signed ones of access-rules.e2e-spec.ts: a payload edited to grant roles
 * with the signature kept, a wrong or missing issuer or audience, another HMAC algorithm with the
 * right key, claims of the wrong shape, no expiry, a not-yet-valid token, and a token passed
 * anywhere but the Authorization header.
 */
import jwt from 'jsonwebtoken';
import { createTestStack, createUser, http, type TestStack, type TestUser } from '@app/testing';

const ISSUER = 'eldercare';
const AUDIENCE = 'eldercare-api';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access token abuse', () => {
  let stack: TestStack;
  let senior: TestUser;
  beforeAll(async () => {
    stack = await createTestStack();
    senior = await createUser(stack, ['SENIOR']);
  });
  afterAll(async () => stack.close());

  /** Signs claims with the server's own key, so only the claim or option under test is wrong. */
  function signed(claims: Record<string, unknown>, options: jwt.SignOptions = {}): string {
    return jwt.sign({ sub: senior.user.id, roles: ['SENIOR'], fids: [], ...claims }, stack.config.jwtSecret, {
      algorithm: 'HS256',
      expiresIn: 600,
      issuer: ISSUER,
      audience: AUDIENCE,
      ...options,
    });
  }

  async function expectRefused(token: string, what: string): Promise<void> {
    for (const [method, path] of [
      ['get', '/api/v1/me'],
      ['post', '/api/v1/users'],
      ['get', '/api/v1/time-bank/audit'],
    ] as const) {
      const response = await http(stack)
        [method](path)
        .set('Authorization', `Bearer ${token}`)
        .send(method === 'post' ? { name: 'x', phone: '13900000000', password: 'long-enough-1', roles: ['ADMIN'] } : undefined);
      expect({ what, path, status: response.status, code: response.body.code }).toEqual({ what, path, status: 401, code: 'UNAUTHENTICATED' });
    }
  }

  it('accepts the genuine token (so each refusal below is about the one thing changed)', async () => {
    await http(stack).get('/api/v1/me').set(senior.auth).expect(200);
    await http(stack)
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${signed({})}`)
      .expect(200);
  });

  it('refuses a payload edited to grant roles or another identity while the signature is kept', async () => {
    const [header, payload, signature] = senior.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    await expectRefused(`${header}.${base64url({ ...claims, roles: ['ADMIN'] })}.${signature}`, 'roles raised');
    await expectRefused(
      `${header}.${base64url({ ...claims, roles: ['SENIOR', 'ADMIN'], fids: ['00000000-0000-4000-8000-000000000000'] })}.${signature}`,
      'roles and facilities added',
    );
    await expectRefused(`${header}.${base64url({ ...claims, exp: Number(claims.exp) + 86_400 * 365 })}.${signature}`, 'expiry extended');
    const admin = await createUser(stack, ['ADMIN']);
    await expectRefused(`${header}.${base64url({ ...claims, sub: admin.user.id })}.${signature}`, 'subject swapped');
    // Re-encoding the original payload differently (whitespace) changes the signed bytes too.
    await expectRefused(`${header}.${Buffer.from(JSON.stringify(claims, null, 1)).toString('base64url')}.${signature}`, 're-serialised');
  });

  it('refuses a wrong or missing issuer or audience', async () => {
    await expectRefused(signed({}, { issuer: 'someone-else' }), 'wrong issuer');
    await expectRefused(signed({}, { audience: 'another-api' }), 'wrong audience');
    await expectRefused(
      jwt.sign({ sub: senior.user.id, roles: ['SENIOR'], fids: [], aud: AUDIENCE }, stack.config.jwtSecret, { algorithm: 'HS256', expiresIn: 600 }),
      'no issuer',
    );
    await expectRefused(
      jwt.sign({ sub: senior.user.id, roles: ['SENIOR'], fids: [], iss: ISSUER }, stack.config.jwtSecret, { algorithm: 'HS256', expiresIn: 600 }),
      'no audience',
    );
  });

  it('refuses other HMAC algorithms even with the right key', async () => {
    await expectRefused(signed({}, { algorithm: 'HS384' }), 'HS384');
    await expectRefused(signed({}, { algorithm: 'HS512' }), 'HS512');
    // An `alg` header that names RS256 over an HMAC signature (key confusion).
    const [, payload, signature] = signed({}).split('.');
    await expectRefused(`${base64url({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`, 'RS256 header');
  });

  it('refuses claims of the wrong shape, signed with the right key', async () => {
    await expectRefused(signed({ sub: 'not-a-uuid' }), 'subject not a uuid');
    await expectRefused(signed({ roles: ['ROOT'] }), 'unknown role');
    await expectRefused(signed({ roles: 'ADMIN' }), 'roles not a list');
    await expectRefused(signed({ fids: 'all' }), 'facilities not a list');
    await expectRefused(signed({ fids: [1, 2] }), 'facilities not strings');
  });

  it('refuses a token that never expires and one that is not valid yet', async () => {
    const forever = jwt.sign({ sub: senior.user.id, roles: ['SENIOR'], fids: [] }, stack.config.jwtSecret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect((jwt.decode(forever) as { exp?: number }).exp).toBeUndefined();
    await expectRefused(forever, 'no expiry');
    await expectRefused(signed({}, { notBefore: 3600 }), 'not before an hour from now');
  });

  it('takes the token only from the Authorization header as a Bearer token', async () => {
    const token = senior.token;
    await http(stack).get(`/api/v1/me?access_token=${token}`).expect(401);
    await http(stack).get('/api/v1/me').set('Cookie', `access_token=${token}; token=${token}`).expect(401);
    await http(stack).get('/api/v1/me').set('X-Access-Token', token).expect(401);
    await http(stack).get('/api/v1/me').set('Authorization', token).expect(401);
    await http(stack).get('/api/v1/me').set('Authorization', `Basic ${token}`).expect(401);
    await http(stack).get('/api/v1/me').set('Authorization', `Bearer ${token}.extra`).expect(401);
    await http(stack).get('/api/v1/me').set('Authorization', `Bearer ${token} ${token}`).expect(401);
  });
});
