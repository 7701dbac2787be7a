/**
 * Proves mass assignment is refused: every route that writes answers 400, naming the field, and
 * changes nothing (every table and the queued enrolment state in Redis compared before and
 * after) when an otherwise valid request carries `status`, `balanceMinutes`, `roles`,
 * `facilityId`, `version`, `id`, `createdAt` or a prototype key its schema (read from the
 * served OpenAPI document) does not have; and where such a field is in the schema, proves the
 * route cannot be abused with it.
 */
import { randomUUID } from 'node:crypto';
import { createTestStack, createUser, http, listRoutes, type RouteInfo, type TestStack, uniquePhone, uniqueResidentId } from '@app/testing';
import { concretePath, send } from './support/client';
import { changedTables, fingerprint } from './support/fingerprint';
import { fetchOpenApi, type OpenApiDocument, operationOf, deref, type Schema } from './support/openapi';
import { redisFingerprint, settledRedis } from './support/redis';
import { validRequests, type ValidRequest } from './support/valid-requests';
import { buildWorld, type World } from './support/world';

/** The fields an attacker would like to set, with tempting values. */
function sensitiveFields(world: World): Record<string, unknown> {
  return {
    status: 'CONFIRMED',
    balanceMinutes: 100_000,
    roles: ['ADMIN'],
    facilityId: world.facilityB.id,
    version: 99,
    id: randomUUID(),
    createdAt: '2000-01-01T00:00:00.000Z',
  };
}

/**
 * Sensitive fields that ARE part of a route's request schema, each with the reason and the test
 * below that proves it cannot be abused. The test fails when the schemas and this list differ.
 */
const IN_SCHEMA_ON_PURPOSE: Record<string, string> = {
  'POST /users roles': 'an administrator creates staff with their roles; only ADMIN reaches the route (proved below: every other role 403, nothing created)',
  'PUT /users/:id/roles roles': 'an administrator changes someone’s roles; only ADMIN reaches the route (role × route matrix: every other role 403)',
  'POST /residents facilityId':
    'the facility a resident is registered in; the service requires the caller to manage it (proved below: 403 for another facility, nothing created)',
  'POST /care-centres status': 'a centre is opened as PLANNED, RENOVATING or OPERATING by an administrator only (proved below: a centre manager gets 403)',
  'PATCH /care-centres/:id status':
    'an administrator changes a centre’s status; only ADMIN reaches the route (proved below: the centre’s own manager gets 403, nothing changed)',
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function key(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

function propertiesOf(document: OpenApiDocument, schema: Schema | undefined): Record<string, Schema> {
  return deref(document, schema)?.properties ?? {};
}

describe('mass assignment', () => {
  let stack: TestStack;
  let world: World;
  let document: OpenApiDocument;
  let routes: RouteInfo[];
  let requests: Record<string, () => ValidRequest>;
  beforeAll(async () => {
    stack = await createTestStack();
    world = await buildWorld(stack);
    document = await fetchOpenApi(stack);
    routes = listRoutes(stack.app).filter((route) => WRITES.has(route.method));
    requests = validRequests(world);
  });
  afterAll(async () => stack.close());

  it('has a valid request for every route that writes, and lists every sensitive field that is in a schema on purpose', () => {
    expect(routes.length).toBeGreaterThanOrEqual(35);
    expect(routes.map(key).filter((route) => !requests[route])).toEqual([]);
    const inSchema: string[] = [];
    for (const route of routes) {
      const operation = operationOf(document, route.method, route.openApiPath);
      expect({ route: key(route), documented: operation !== undefined }).toEqual({ route: key(route), documented: true });
      const properties = propertiesOf(document, operation?.body);
      for (const field of Object.keys(sensitiveFields(world))) if (Object.hasOwn(properties, field)) inSchema.push(`${key(route)} ${field}`);
    }
    expect(inSchema.sort()).toEqual(Object.keys(IN_SCHEMA_ON_PURPOSE).sort());
  });

  it('answers 400 naming the field, and changes nothing, for each sensitive field a route does not take', async () => {
    const problems: string[] = [];
    let attempts = 0;
    // Work the API does just after answering (allocator wake-ups, bed offers of the world's setup) settles first.
    await settledRedis(stack);
    for (const route of routes) {
      const operation = operationOf(document, route.method, route.openApiPath);
      const bodySchema = deref(document, operation?.body);
      const properties = propertiesOf(document, bodySchema);
      // Fields go at the top level, and into the first element of every array of objects.
      const nestedArrays = Object.entries(properties).filter(
        ([, schema]) => deref(document, schema)?.type === 'array' && deref(document, deref(document, schema)?.items)?.properties,
      );
      const before = await fingerprint(stack);
      const redisBefore = await redisFingerprint(stack);
      for (const [field, value] of Object.entries({
        ...sensitiveFields(world),
        ['__proto__']: { roles: ['ADMIN'] },
        constructor: { prototype: { roles: ['ADMIN'] } },
      })) {
        const targets: (string | [string, Schema])[] = Object.hasOwn(properties, field) ? [] : [field];
        for (const [arrayName, schema] of nestedArrays) {
          const itemProperties = propertiesOf(document, deref(document, schema)?.items);
          if (!Object.hasOwn(itemProperties, field)) targets.push([arrayName, schema]);
        }
        for (const target of targets) {
          const request = requests[key(route)]();
          const body: Record<string, unknown> = JSON.parse(JSON.stringify(request.body ?? {}));
          let expectedField = field;
          if (typeof target === 'string') {
            Object.defineProperty(body, field, { value, enumerable: true, configurable: true, writable: true });
          } else {
            const items = body[target[0]] as Record<string, unknown>[];
            Object.defineProperty(items[0], field, { value, enumerable: true, configurable: true, writable: true });
            expectedField = `${target[0]}.0.${field}`;
          }
          const response = await send(stack.baseUrl, {
            method: route.method,
            path: concretePath(route, (name) => request.params?.[name] ?? ''),
            headers: request.as ? request.as.auth : {},
            body: JSON.stringify(body),
          });
          attempts += 1;
          const problem = response.json as { code?: string; errors?: { field: string }[] } | undefined;
          const fields = (problem?.errors ?? []).map((error) => error.field);
          if (response.status !== 400 || problem?.code !== 'VALIDATION_FAILED' || fields.length === 0 || fields.some((name) => name !== expectedField)) {
            problems.push(`${key(route)} with ${expectedField}: ${response.status} ${response.text.slice(0, 200)}`);
          }
        }
      }
      const changed = changedTables(before, await fingerprint(stack));
      if (changed.length > 0) problems.push(`${key(route)} changed ${changed.join(', ')}`);
      if ((await redisFingerprint(stack)) !== redisBefore) problems.push(`${key(route)} changed Redis`);
    }
    expect(problems).toEqual([]);
    expect(attempts).toBeGreaterThan(routes.length * 7);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('lets no role but ADMIN create users with roles, and refuses roles in a self-registration', async () => {
    const before = await fingerprint(stack);
    const body = { name: '冒充管理员', phone: uniquePhone(), password: 'long-enough-1', roles: ['ADMIN'] };
    for (const who of [world.facilityA.manager, world.volunteerA, world.seniorA]) {
      const response = await http(stack).post('/api/v1/users').set(who.auth).send(body).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    await http(stack).post('/api/v1/users').send(body).expect(401);
    const register = await http(stack)
      .post('/api/v1/auth/register')
      .send({
        name: '冒充管理员',
        phone: body.phone,
        password: 'long-enough-1',
        idCardNumber: uniqueResidentId('1950-03-04'),
        roles: ['ADMIN'],
        facilityIds: [world.facilityA.id],
      })
      .expect(400);
    expect((register.body.errors as { field: string }[]).map((error) => error.field).sort()).toEqual(['facilityIds', 'roles']);
    expect(changedTables(before, await fingerprint(stack))).toEqual([]);
  });

  it('lets a manager register residents only in a facility they manage', async () => {
    const before = await fingerprint(stack);
    const response = await http(stack)
      .post('/api/v1/residents')
      .set(world.facilityA.manager.auth)
      .send({ name: '越权登记', idCardNumber: uniqueResidentId('1939-09-09'), careLevel: 'NURSING', facilityId: world.facilityB.id, emergencyContacts: [] })
      .expect(403);
    expect(response.body.code).toBe('FORBIDDEN');
    expect(changedTables(before, await fingerprint(stack))).toEqual([]);
  });

  it("lets only an administrator set a care centre's status", async () => {
    const manager = world.centreA.manager;
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const before = await fingerprint(stack);
    const patch = await http(stack).patch(`/api/v1/care-centres/${world.centreA.id}`).set(manager.auth).send({ status: 'PLANNED' }).expect(403);
    expect(patch.body.code).toBe('FORBIDDEN');
    await http(stack)
      .post('/api/v1/care-centres')
      .set(manager.auth)
      .send({ name: '自封中心', street: '湖滨街道', operatorKind: 'GOVERNMENT', status: 'OPERATING', dayCapacity: 1, sunshineKitchen: false })
      .expect(403);
    await http(stack).patch(`/api/v1/care-centres/${world.centreA.id}`).set(volunteer.auth).send({ status: 'PLANNED' }).expect(403);
    expect(changedTables(before, await fingerprint(stack))).toEqual([]);
    const centre = await http(stack).get(`/api/v1/care-centres/${world.centreA.id}`).expect(200);
    expect(centre.body.status).toBe('OPERATING');
  });

  it('takes a bed version only as If-Match, and a stale one is 412 VERSION_MISMATCH with nothing changed', async () => {
    const bedId = world.facilityB.beds[0];
    const manager = world.facilityB.manager;
    const current = await http(stack).get(`/api/v1/beds/${bedId}`).set(manager.auth).expect(200);
    const version = Number(current.body.version);
    expect(current.headers.etag).toBe(`"${version}"`);
    const before = await fingerprint(stack);
    for (const stale of [version - 1, version + 1]) {
      const response = await http(stack)
        .post(`/api/v1/beds/${bedId}/maintenance`)
        .set(manager.auth)
        .set('If-Match', `"${stale}"`)
        .send({ reason: '检修' })
        .expect(412);
      expect(response.body.code).toBe('VERSION_MISMATCH');
    }
    const garbage = await http(stack).post(`/api/v1/beds/${bedId}/maintenance`).set(manager.auth).set('If-Match', 'W/"anything"').send({ reason: '检修' });
    expect(garbage.status).toBe(412);
    expect(changedTables(before, await fingerprint(stack))).toEqual([]);
    // The current version is accepted: the refusals above were about staleness.
    await http(stack).post(`/api/v1/beds/${bedId}/maintenance`).set(manager.auth).set('If-Match', `"${version}"`).send({ reason: '检修' }).expect(200);
  });
});
