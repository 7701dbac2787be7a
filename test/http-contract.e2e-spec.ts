/**
 * Proves the HTTP conventions every client relies on: problem+json errors with stable codes and
 * no internals, 400 for unknown fields, 413 for a 1 MB body, 404 for unknown routes, health and
 * metrics endpoints, and an OpenAPI document that lists every route with its schemas.
 */
import nodeHttp from 'node:http';
import { createTestStack, createUser, http, listRoutes, type TestStack } from '@app/testing';

function expectProblem(body: Record<string, unknown>, status: number, code: string): void {
  expect(body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code });
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/at .*\.(js|ts):\d+|QueryFailedError|SELECT |INSERT |node_modules|TypeError|stack/);
}

describe('HTTP contract', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  it('answers an unknown route with a 404 problem document', async () => {
    const response = await http(stack).get('/api/v1/no-such-thing').expect(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expectProblem(response.body, 404, 'NOT_FOUND');
  });

  it('refuses unknown body fields and wrong types field by field', async () => {
    const response = await http(stack).post('/api/v1/auth/login').send({ phone: 13800000000, password: 'x', isAdmin: true }).expect(400);
    expectProblem(response.body, 400, 'VALIDATION_FAILED');
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'isAdmin', message: expect.any(String) },
        { field: 'phone', message: expect.any(String) },
      ]),
    );
  });

  it('names each thing to fix once: a blank name is blank, a number given for a name is not a string', async () => {
    const admin = await createUser(stack, ['ADMIN']);
    const blank = await http(stack).post('/api/v1/facilities').set(admin.auth).send({ name: '', kind: 'NURSING_HOME', street: '   ' }).expect(400);
    expectProblem(blank.body, 400, 'VALIDATION_FAILED');
    expect(blank.body.errors).toEqual([
      { field: 'name', message: 'name must not be blank' },
      { field: 'street', message: 'street must not be blank' },
    ]);
    const wrongType = await http(stack).post('/api/v1/facilities').set(admin.auth).send({ name: 5, kind: 'NURSING_HOME', street: '彭埠街道' }).expect(400);
    expect(wrongType.body.errors).toEqual([{ field: 'name', message: 'name must be a string' }]);
    const list = await http(stack).get('/api/v1/facilities').set(admin.auth).expect(200);
    expect(list.body.total).toBe(0);
  });

  it('refuses malformed JSON with 400 and a 1 MB body with 413', async () => {
    const malformed = await http(stack).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"phone":').expect(400);
    expectProblem(malformed.body, 400, 'VALIDATION_FAILED');
    const huge = JSON.stringify({ phone: '1'.repeat(1024 * 1024), password: 'x' });
    const tooLarge = await http(stack).post('/api/v1/auth/register').set('Content-Type', 'application/json').send(huge).expect(413);
    expectProblem(tooLarge.body, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers an address too long for the HTTP parser with 431 problem+json, not a bare status line', async () => {
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const request = nodeHttp.get(`${stack.baseUrl}/api/v1/enrolment/courses?q=${'x'.repeat(20 * 1024)}`, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
      });
      request.on('error', reject);
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toBe('application/problem+json');
    expectProblem(JSON.parse(answer.body), 431, 'VALIDATION_FAILED');
  });

  it('refuses a malformed bearer header with 401', async () => {
    const response = await http(stack).get('/api/v1/me').set('Authorization', 'Basic abc').expect(401);
    expectProblem(response.body, 401, 'UNAUTHENTICATED');
  });

  it('reports liveness, readiness of PostgreSQL and Redis, and Prometheus metrics', async () => {
    await http(stack).get('/health/live').expect(200, { status: 'ok' });
    const ready = await http(stack).get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    const metrics = await http(stack).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('process_resident_memory_bytes');
  });

  it('sets security headers and echoes a request id', async () => {
    const response = await http(stack).get('/health/live').set('X-Request-Id', 'req-123').expect(200);
    expect(response.headers['x-request-id']).toBe('req-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends Strict-Transport-Security only on responses that travelled over TLS', async () => {
    // Over plain http (the pages on a centre's network) the header must not be sent (RFC 6797).
    const plain = await http(stack).get('/health/live').expect(200);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers['content-security-policy']).toContain("default-src 'self'");
    // Behind a TLS proxy on the same host, which says so in X-Forwarded-Proto.
    const proxied = await http(stack).get('/health/live').set('X-Forwarded-Proto', 'https').expect(200);
    expect(proxied.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const problem = await http(stack).get('/api/v1/no-such-thing').set('X-Forwarded-Proto', 'https').expect(404);
    expect(problem.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(problem.headers['x-content-type-options']).toBe('nosniff');
    // Refused by the router before any hook runs: a malformed percent-encoding (400) and an
    // over-long path segment (414), over plain http and over TLS.
    for (const [path, status] of [
      ['/api/v1/beds/%E0%A4%A', 400],
      [`/api/v1/beds/${'a'.repeat(2001)}`, 414],
    ] as const) {
      const refusedPlain = await http(stack).get(path).expect(status);
      expect(refusedPlain.headers['content-type']).toContain('application/problem+json');
      expect(refusedPlain.headers['strict-transport-security']).toBeUndefined();
      expect(refusedPlain.headers['x-content-type-options']).toBe('nosniff');
      const refusedSecure = await http(stack).get(path).set('X-Forwarded-Proto', 'https').expect(status);
      expect(refusedSecure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
  });

  it('publishes an OpenAPI document with every route, its request body and its response schema', async () => {
    const response = await http(stack).get('/api/docs-json').expect(200);
    const document = response.body as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, { content?: unknown }> }>> };
    const missing: string[] = [];
    for (const route of listRoutes(stack.app)) {
      if (route.path === '/metrics') continue;
      const operation = document.paths[route.openApiPath]?.[route.method.toLowerCase()];
      if (!operation) {
        missing.push(`${route.method} ${route.openApiPath}: not documented`);
        continue;
      }
      if (route.hasBody && !operation.requestBody) missing.push(`${route.method} ${route.openApiPath}: no request schema`);
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      if (!success.some(([, value]) => value.content)) missing.push(`${route.method} ${route.openApiPath}: no response schema`);
    }
    expect(missing).toEqual([]);
    const swaggerUi = await http(stack).get('/api/docs').redirects(1).expect(200);
    expect(swaggerUi.text).toContain('swagger');
  });
});
