/**
 * Walks every route of the real application and proves each one declares who may call it
 * (`@Public()` or a role list), that a route without a declaration is refused, and that
 * protected routes refuse anonymous and malformed-token callers.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { ApiModule } from '../apps/api/src/api.module';
import { APP_CONFIG, configureHttpApp, createHttpAdapter, type HttpApp } from '@app/platform';
import { createTestStack, createUser, http, listRoutes, type TestStack } from '@app/testing';

@Controller('undeclared')
class UndeclaredController {
  @Get()
  open(): string {
    return 'should never be served';
  }
}

@Module({ imports: [ApiModule], controllers: [UndeclaredController] })
class ApiWithUndeclaredRoute {}

describe('access rules', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  it('finds the routes of every module and each declares @Public() or its roles', () => {
    const routes = listRoutes(stack.app);
    expect(routes.length).toBeGreaterThanOrEqual(6);
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining(['POST /auth/login', 'POST /auth/register', 'GET /me', 'POST /users', 'GET /health/ready']),
    );
    const undeclared = routes.filter((route) => !route.access || (route.access.kind === 'roles' && route.access.roles.length === 0));
    expect(undeclared.map((route) => `${route.method} ${route.path} (${route.controller}.${route.handler})`)).toEqual([]);
  });

  it('refuses anonymous callers on every route that is not public', async () => {
    const protectedRoutes = listRoutes(stack.app).filter((route) => route.access?.kind === 'roles');
    expect(protectedRoutes.length).toBeGreaterThan(0);
    for (const route of protectedRoutes) {
      const path = `/api/v1${route.path.replace(/:([A-Za-z0-9_]+)/g, '00000000-0000-4000-8000-000000000000')}`;
      const response = await request(stack.server)[route.method.toLowerCase() as 'get'](path).send({});
      expect({ route: `${route.method} ${route.path}`, status: response.status, code: response.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('refuses a route that declares no access rule, even to an administrator', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ApiWithUndeclaredRoute] })
      .overrideProvider(APP_CONFIG)
      .useValue(stack.config)
      .compile();
    const app = await configureHttpApp(moduleRef.createNestApplication<HttpApp>(createHttpAdapter(), { logger: false }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    try {
      const admin = await createUser(stack, ['ADMIN']);
      const response = await request(app.getHttpServer()).get('/api/v1/undeclared').set(admin.auth).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    } finally {
      await app.close();
    }
  });

  it('answers 401 to expired, unsigned (alg none) and wrongly signed tokens', async () => {
    const senior = await createUser(stack, ['SENIOR']);
    const claims = { sub: senior.user.id, roles: ['ADMIN'], fids: [], iss: 'eldercare', aud: 'eldercare-api' };
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, stack.config.jwtSecret, { algorithm: 'HS256' });
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const unsigned = `${header}.${body}.`;
    const wrongKey = jwt.sign(claims, 'another-secret-that-is-long-enough-0000', { algorithm: 'HS256', expiresIn: 600 });
    for (const token of [expired, unsigned, wrongKey, 'not-a-token']) {
      const response = await http(stack).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    }
    await http(stack).get('/api/v1/me').set(senior.auth).expect(200);
  });
});
