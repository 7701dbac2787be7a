/**
 * Proves the API survives hostile input on every operation of its OpenAPI document: requests
 * derived with a seeded PRNG (wrong types, missing and extra fields, 10k strings, unicode,
 * injection strings, numeric extremes, malformed ids, fuzzed queries and headers, malformed
 * JSON, wrong content types, 1 MB bodies), sent as a caller the route admits, are never answered
 * 5xx, every 4xx is a problem document of the documented shape, and no body leaks a stack trace,
 * a path, SQL, a driver message, an internal name or a secret.
 *
 * The seed is printed; replay a run with SECURITY_FUZZ_SEED=<seed>.
 */
import { randomInt } from 'node:crypto';
import { birthDateForAge, createTestStack, listRoutes, type RouteInfo, type TestStack, type TestUser, uniquePhone, uniqueResidentId } from '@app/testing';
import { type RawRequest, type RawResponse, send } from './support/client';
import { INJECTION_STRINGS, MALFORMED_IDS, MALFORMED_JSON, NUMERIC_EXTREMES, Prng, UNICODE_STRINGS, WRONG_TYPES } from './support/fuzz-data';
import { jsonStrings, leaksIn, problemShapeErrors } from './support/leaks';
import { deref, fetchOpenApi, type OpenApiDocument, type Operation, operations, type Schema } from './support/openapi';
import { buildWorld, type World } from './support/world';

const SEED = process.env.SECURITY_FUZZ_SEED ? Number(process.env.SECURITY_FUZZ_SEED) : randomInt(1, 2 ** 31);
const HOUR_MS = 3_600_000;

interface FuzzCase {
  label: string;
  request: RawRequest;
}

/** The strings of a JSON value (keys too), to recognise them when the server echoes or stores them. */
function stringLeaves(value: unknown, into: Set<string>): void {
  for (const text of jsonStrings(value)) into.add(text);
}

describe('OpenAPI-driven fuzzer', () => {
  let stack: TestStack;
  let world: World;
  let document: OpenApiDocument;
  let routes: RouteInfo[];
  const random = new Prng(SEED);
  let counter = 0;

  beforeAll(async () => {
    process.stdout.write(`security fuzzer seed ${SEED} (replay with SECURITY_FUZZ_SEED=${SEED})\n`);
    stack = await createTestStack({ config: { loginFailuresPerAddress: 1_000_000, loginFailuresPerPhone: 1_000_000 } });
    world = await buildWorld(stack);
    document = await fetchOpenApi(stack);
    routes = listRoutes(stack.app);
  });
  afterAll(async () => stack.close());

  function routeOf(operation: Operation): RouteInfo | undefined {
    return routes.find((route) => route.method === operation.method && route.openApiPath === operation.path);
  }

  /** A caller the route admits: an administrator where allowed, else the declared role. */
  function callerFor(route: RouteInfo): TestUser | null {
    const rule = route.access;
    if (!rule || rule.kind === 'public') return null;
    if (rule.roles.includes('ADMIN')) return world.admin;
    if (rule.roles.includes('MANAGER')) return route.path.startsWith('/care-centres') ? world.centreA.manager : world.facilityA.manager;
    if (rule.roles.includes('VOLUNTEER')) return world.volunteerA;
    return world.seniorA;
  }

  /** A real id for each path parameter, so that fuzzed bodies reach the services and the database. */
  function pathId(route: RouteInfo): string {
    const p = route.path;
    if (p.startsWith('/facilities/')) return world.facilityA.id;
    if (p.startsWith('/beds/')) return world.facilityA.beds[0];
    if (p.startsWith('/residents/')) return world.facilityA.resident;
    if (p.startsWith('/time-bank/accounts/')) return world.accountA;
    if (p.startsWith('/time-bank/services/')) return world.pendingServiceA;
    if (p.startsWith('/time-bank/redemptions/')) return world.redemptionA;
    if (p.startsWith('/time-bank/requests/')) return world.openRequestA;
    if (p.startsWith('/time-bank/transfers/')) return world.earningTransferA;
    if (p.startsWith('/enrolment/courses/')) return world.lotteryCourseId;
    if (p.startsWith('/enrolment/terms/')) return world.termId;
    if (p.startsWith('/enrolment/applications/')) return world.ticketA;
    if (p.startsWith('/care-centres/')) return world.centreA.id;
    if (p.startsWith('/seniors/') || p.startsWith('/people/')) return world.seniorA.user.id;
    if (p.startsWith('/users/')) return world.volunteerB.user.id;
    if (p.startsWith('/family-links/')) return world.familyLinkA;
    if (p.startsWith('/me/notifications/')) return world.notificationA;
    throw new Error(`no id for ${route.method} ${route.path}: add it to pathId()`);
  }

  function idForField(name: string): string {
    const ids: Record<string, string> = {
      residentId: world.facilityA.resident,
      toBedId: world.facilityA.beds[1],
      recipientId: world.seniorA.user.id,
      toUserId: world.seniorA.user.id,
      seniorId: world.seniorA.user.id,
      courseId: world.courseId,
      termId: world.termId,
      facilityId: world.facilityA.id,
      facilityIds: world.facilityA.id,
    };
    return ids[name] ?? world.facilityB.id;
  }

  /** A valid value for a schema, from the field's name where the schema alone does not say enough. */
  function valid(schema: Schema | undefined, name: string, depth = 0): unknown {
    const s = deref(document, schema) ?? {};
    if (s.enum && s.enum.length > 0) return name === 'roles' ? 'VOLUNTEER' : s.enum[0];
    switch (s.type) {
      case 'object': {
        const body: Record<string, unknown> = {};
        for (const [key, property] of Object.entries(s.properties ?? {})) {
          if ((s.required ?? []).includes(key) || random.next() < 0.5) body[key] = valid(property, key, depth + 1);
        }
        return body;
      }
      case 'array': {
        const count = Math.max(s.minItems ?? 0, 1);
        return Array.from({ length: count }, () => valid(s.items, name, depth + 1));
      }
      case 'number':
      case 'integer':
        return s.minimum !== undefined ? Math.max(s.minimum, name === 'minutes' ? 60 : s.minimum) : 1;
      case 'boolean':
        return true;
      case undefined:
      default:
        break;
    }
    counter += 1;
    if (s.format === 'uuid') return idForField(name);
    if (s.format === 'date-time') {
      if (name === 'startedAt' || name === 'occurredAt') return new Date(Date.now() - (counter + 1) * HOUR_MS).toISOString();
      if (name === 'opensAt') return new Date(Date.now() - HOUR_MS).toISOString();
      return new Date(Date.now() + 48 * HOUR_MS + counter * 60_000).toISOString();
    }
    if (s.format === 'date') return name === 'contractEndsOn' ? '2030-12-31' : new Date().toISOString().slice(0, 10);
    if (name === 'phone') return uniquePhone();
    if (name === 'idCardNumber') return uniqueResidentId(birthDateForAge(70));
    if (name === 'password') return 'long-enough-1';
    if (name === 'startTime') return '09:00';
    if (name === 'endTime') return '10:30';
    return `模糊${SEED % 1000}-${counter}`;
  }

  function queryString(entries: [string, string][]): string {
    return entries.length === 0 ? '' : `?${entries.map(([key, value]) => `${key}=${value}`).join('&')}`;
  }

  function huge(): string {
    return random.string(10_001, 'abcxyz中文字符😀 ');
  }

  /** Values to put in a field of this schema instead of a valid one. */
  function hostileValues(schema: Schema | undefined): unknown[] {
    const s = deref(document, schema) ?? {};
    // null for every field: optional fields let it through validation, so the services meet it.
    const values: unknown[] = [
      null,
      ...random.sample(
        WRONG_TYPES.filter((value) => value !== null),
        3,
      ),
    ];
    if (s.type === 'string' || s.enum) {
      values.push(huge(), ...random.sample(UNICODE_STRINGS, 5), ...random.sample(INJECTION_STRINGS, 7));
      if (s.format === 'uuid')
        values.push(random.pick(['not-a-uuid', '00000000-0000-0000-0000-000000000000', `${world.facilityA.id} `, world.facilityA.id.toUpperCase()]));
      if (s.format === 'date-time' || s.format === 'date')
        values.push(
          random.pick([
            '2026-02-30T00:00:00Z',
            '+275760-09-13T00:00:00Z',
            '0000-01-01',
            '2026-13-01',
            '1e308',
            'yesterday',
            '2026-W52-3',
            '2026-360',
            '2026-12-20T09',
            '2026-12-20T09:00:00',
          ]),
        );
    }
    if (s.type === 'number' || s.type === 'integer') values.push(...random.sample(NUMERIC_EXTREMES, 8));
    if (s.type === 'array')
      values.push(
        Array.from({ length: 5000 }, () => 'x'),
        [[[['deep']]]],
        random.sample(WRONG_TYPES, 3),
      );
    if (s.type === 'boolean') values.push('true', 1, 'yes');
    return values;
  }

  function cases(operation: Operation, route: RouteInfo): FuzzCase[] {
    const caller = callerFor(route);
    const headers = (extra: Record<string, string> = {}): Record<string, string> => ({ ...(caller ? caller.auth : {}), ...extra });
    const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
    const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
    const headerParameters = operation.parameters.filter((parameter) => parameter.in === 'header');
    const id = pathParameters.length > 0 ? pathId(route) : '';
    const path = (value = id): string => operation.path.replace(/\{[^}]+\}/g, value);
    const baseQuery = (): [string, string][] =>
      queryParameters
        .filter((parameter) => parameter.required)
        .map((parameter) => [parameter.name, encodeURIComponent(String(valid(parameter.schema, parameter.name)))]);
    const label = `${operation.method} ${operation.path}`;
    const result: FuzzCase[] = [];
    const add = (what: string, request: Omit<RawRequest, 'method'>): void => {
      result.push({ label: `${label} ${what}`, request: { method: operation.method, ...request } });
    };

    // The valid request itself, then each kind of damage.
    const base = (): Record<string, unknown> | undefined => (operation.body ? (valid(operation.body, 'body') as Record<string, unknown>) : undefined);
    add('as documented', { path: path() + queryString(baseQuery()), headers: headers(), body: base() });

    for (const value of random.sample(MALFORMED_IDS, 8)) {
      if (pathParameters.length === 0) break;
      add(`path id ${value.slice(0, 40)}`, { path: path(value) + queryString(baseQuery()), headers: headers(), body: base() });
    }

    for (const parameter of queryParameters) {
      // 10k ASCII characters: a URL is limited to Node's 16 kB of headers, which Node itself enforces (bare 431) before the app runs.
      const values = [
        random.string(10_001, 'abcdefghijklmnopqrstuvwxyz0123456789-_'),
        ...random.sample(INJECTION_STRINGS, 2),
        ...random.sample(UNICODE_STRINGS, 2),
        ...random.sample(NUMERIC_EXTREMES, 3).map(String),
      ];
      for (const value of values) {
        const others = baseQuery().filter(([name]) => name !== parameter.name);
        add(`query ${parameter.name}`, { path: path() + queryString([...others, [parameter.name, encodeLoosely(value)]]), headers: headers() });
      }
      add(`query ${parameter.name} twice`, { path: path() + queryString([...baseQuery(), [parameter.name, '1'], [parameter.name, '2']]), headers: headers() });
      add(`query ${parameter.name} as object`, {
        path: path() + queryString([...baseQuery(), [`${parameter.name}[$gt]`, ''], [`${parameter.name}[__proto__][x]`, '1']]),
        headers: headers(),
      });
    }
    add('unknown query', { path: path() + queryString([...baseQuery(), ['admin', 'true'], [encodeURIComponent("' OR 1=1--"), 'x']]), headers: headers() });

    for (const parameter of headerParameters) {
      const values =
        parameter.name === 'If-Match'
          ? ['"abc"', '"-1"', '*', 'W/"1"', '"1e308"', '"99999999999999999999"', '', '","']
          : ['x'.repeat(101), '', ' ', 'key with spaces', '"quoted"', 'k'.repeat(100), `${random.int(1e9)}`];
      for (const value of random.sample(values, 4)) {
        add(`header ${parameter.name}=${value.slice(0, 20)}`, {
          path: path() + queryString(baseQuery()),
          headers: headers({ [parameter.name]: value }),
          body: base(),
        });
      }
    }

    if (operation.body) {
      const schema = deref(document, operation.body) ?? {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(name)) {
          const body = base() ?? {};
          delete body[name];
          add(`body without ${name}`, { path: path(), headers: headers(), body });
        }
        for (const value of hostileValues(property)) {
          add(`body ${name}=${JSON.stringify(value)?.slice(0, 40)}`, { path: path(), headers: headers(), body: { ...base(), [name]: value } });
        }
        const nested = deref(document, deref(document, property)?.items);
        for (const [itemName, itemSchema] of Object.entries(nested?.properties ?? {})) {
          for (const value of random.sample(hostileValues(itemSchema), 3)) {
            const body = base() ?? {};
            const items = Array.isArray(body[name]) ? (body[name] as Record<string, unknown>[]) : [];
            if (items[0]) items[0] = { ...items[0], [itemName]: value };
            add(`body ${name}[0].${itemName}=${JSON.stringify(value)?.slice(0, 30)}`, { path: path(), headers: headers(), body });
          }
        }
      }
      add('body with extra fields', { path: path(), headers: headers(), body: { ...base(), [random.pick(INJECTION_STRINGS)]: 1, isAdmin: true } });
      for (const text of random.sample(MALFORMED_JSON, 3)) add(`malformed JSON ${JSON.stringify(text)}`, { path: path(), headers: headers(), body: text });
      add('JSON array body', { path: path(), headers: headers(), body: JSON.stringify([base()]) });
      add('JSON null body', { path: path(), headers: headers(), body: 'null' });
      add('empty JSON body', { path: path(), headers: headers(), body: '' });
      add('deeply nested object', { path: path(), headers: headers(), body: `${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}` });
      add('deeply nested array', { path: path(), headers: headers(), body: `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}` });
      add('1 MB body', { path: path(), headers: headers(), body: JSON.stringify({ ...base(), padding: 'x'.repeat(1024 * 1024) }) });
      for (const contentType of random.sample(
        [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          'application/octet-stream',
        ],
        3,
      )) {
        const text = contentType.startsWith('application/x-www-form') ? 'status=CONFIRMED&roles=ADMIN&name=x' : JSON.stringify(base());
        add(`content type ${contentType}`, { path: path(), headers: headers(), body: text, contentType });
      }
      add('gzip that is not', { path: path(), headers: headers({ 'Content-Encoding': 'gzip' }), body: JSON.stringify(base()) });
    } else if (operation.method !== 'GET') {
      add('body on a route that takes none', { path: path(), headers: headers(), body: { status: 'CONFIRMED' } });
    }
    return result;
  }

  it('never answers 5xx, answers every 4xx with a problem document, and leaks nothing', async () => {
    const started = Date.now();
    const secrets = [
      stack.config.jwtSecret,
      stack.config.idEncryptionKey.toString('hex'),
      stack.config.idHashKey.toString('hex'),
      stack.config.idEncryptionKey.toString('base64'),
    ];
    const stored = new Set<string>([...UNICODE_STRINGS, ...INJECTION_STRINGS, ...MALFORMED_JSON]);
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    let sent = 0;
    const documented = operations(document).filter((operation) => !operation.path.startsWith('/api/docs'));
    expect(documented.length).toBeGreaterThanOrEqual(65);
    for (const operation of documented) {
      const route = routeOf(operation);
      if (!route) {
        problems.push(`${operation.method} ${operation.path}: documented but not served`);
        continue;
      }
      for (const fuzz of cases(operation, route)) {
        let response: RawResponse;
        try {
          response = await send(stack.baseUrl, fuzz.request);
        } catch (error) {
          problems.push(`${fuzz.label}: no answer (${String(error)})`);
          continue;
        }
        sent += 1;
        statuses[String(response.status)] = (statuses[String(response.status)] ?? 0) + 1;
        const echoed = new Set(stored);
        stringLeaves(typeof fuzz.request.body === 'string' ? safeParse(fuzz.request.body) : fuzz.request.body, echoed);
        for (const part of decodeURIComponentSafe(fuzz.request.path).split(/[/?&=]/)) echoed.add(part);
        if (response.status >= 500) problems.push(`${fuzz.label}: ${response.status} ${response.text.slice(0, 200)}`);
        else if (response.status >= 400) for (const error of problemShapeErrors(response)) problems.push(`${fuzz.label}: ${response.status} ${error}`);
        // A parser's message would quote the body back; the API answers in its own words.
        if (fuzz.label.includes('malformed JSON') && (response.json as { detail?: string } | undefined)?.detail !== 'The request body is not valid JSON.') {
          problems.push(`${fuzz.label}: ${response.status} ${response.text.slice(0, 160)}`);
        }
        for (const leak of leaksIn(response, echoed, secrets)) problems.push(`${fuzz.label}: ${response.status} leaks ${leak}`);
        // What a write accepted may come back in later lists: it is the caller's data, not a leak.
        if (response.status < 300 && fuzz.request.method !== 'GET')
          stringLeaves(typeof fuzz.request.body === 'string' ? safeParse(fuzz.request.body) : fuzz.request.body, stored);
        if (problems.length >= 40) break;
      }
      if (problems.length >= 40) break;
    }
    process.stdout.write(`security fuzzer seed ${SEED}: ${sent} requests in ${Date.now() - started} ms, statuses ${JSON.stringify(statuses)}\n`);
    expect({ seed: SEED, problems }).toEqual({ seed: SEED, problems: [] });
    expect(sent).toBeGreaterThan(2000);
    // The fuzzer must reach past validation too: some requests are accepted, many refused.
    expect(Object.keys(statuses).filter((status) => status.startsWith('2')).length).toBeGreaterThan(0);
    expect(statuses['400']).toBeGreaterThan(1000);
    expect(statuses['413']).toBeGreaterThan(20);
    expect(Object.keys(Object.prototype)).toEqual([]);
  }, 150_000);
});

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes any text; a lone surrogate (which has no UTF-8 form) is sent as its CESU-8 bytes. */
function encodeLoosely(text: string): string {
  return text
    .split(LONE_SURROGATE)
    .map((part) => encodeURIComponent(part))
    .join('%ED%A0%80');
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
