/**
 * Proves the role × route matrix generated from the router: every route matches the reviewed
 * policy table (both ways), every caller whose role a route does not declare gets 403 FORBIDDEN
 * (anonymous 401), every caller whose role it declares is never refused for its role, no bed
 * route admits a senior or a volunteer, and a volunteer can neither read nor move another
 * volunteer's minutes.
 *
 * Calls use a placeholder id and an empty body. The role check comes first (a guard), so an
 * undeclared role is 403 whatever the id; a declared role then meets validation (400) or the
 * lookup of the placeholder (404 NOT_FOUND: the product looks the object up before it checks a
 * manager's facility), never 401 or 403. Ownership is bola.e2e-spec.ts's subject.
 */
import type { Role } from '@app/platform';
import { createTestStack, createUser, http, listRoutes, type RouteInfo, type TestStack, type TestUser } from '@app/testing';
import { ROUTE_POLICY, type RoutePolicy } from './route-policy';
import { concretePath, type RawResponse, send } from './support/client';
import { changedTables, fingerprint } from './support/fingerprint';
import { buildWorld, PLACEHOLDER_ID, type World } from './support/world';

const ROLES: readonly Role[] = ['ADMIN', 'MANAGER', 'VOLUNTEER', 'SENIOR', 'COUNTER', 'FAMILY'];

function key(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

function policyOf(route: RouteInfo): RoutePolicy | 'UNDECLARED' {
  if (!route.access) return 'UNDECLARED';
  if (route.access.kind === 'public') return 'PUBLIC';
  return [...route.access.roles].sort();
}

function normalise(policy: RoutePolicy): RoutePolicy {
  return policy === 'PUBLIC' ? policy : [...policy].sort();
}

/** Routes of the bed inventory: facilities' beds, occupancy, board and waiting list, beds and residents. */
function isBedRoute(route: RouteInfo): boolean {
  return /^\/(beds|residents)(\/|$)/.test(route.path) || /^\/facilities\/:id\//.test(route.path);
}

function call(
  stack: TestStack,
  route: RouteInfo,
  headers: Record<string, string>,
  ids: string | ((name: string) => string) = PLACEHOLDER_ID,
): Promise<RawResponse> {
  const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  return send(stack.baseUrl, { method: route.method, path: concretePath(route, ids), headers, body: withBody ? {} : undefined });
}

describe('role × route matrix', () => {
  let stack: TestStack;
  let routes: RouteInfo[];
  let callers: Record<Role, TestUser>;
  let world: World;
  beforeAll(async () => {
    stack = await createTestStack();
    routes = listRoutes(stack.app);
    world = await buildWorld(stack);
    callers = {
      ADMIN: world.admin,
      MANAGER: world.facilityA.manager,
      VOLUNTEER: await createUser(stack, ['VOLUNTEER']),
      SENIOR: await createUser(stack, ['SENIOR']),
      COUNTER: await createUser(stack, ['COUNTER']),
      FAMILY: await createUser(stack, ['FAMILY']),
    };
  });
  afterAll(async () => stack.close());

  it('matches the reviewed policy table in both directions', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(ROUTE_POLICY).length);
    const served = new Map(routes.map((route) => [key(route), policyOf(route)]));
    const differences: string[] = [];
    for (const [route, policy] of served) {
      const reviewed = ROUTE_POLICY[route];
      if (reviewed === undefined) differences.push(`${route}: served (${JSON.stringify(policy)}) but not in route-policy.ts`);
      else if (JSON.stringify(normalise(reviewed)) !== JSON.stringify(policy)) {
        differences.push(`${route}: router says ${JSON.stringify(policy)}, route-policy.ts says ${JSON.stringify(normalise(reviewed))}`);
      }
    }
    for (const route of Object.keys(ROUTE_POLICY)) {
      if (!served.has(route)) differences.push(`${route}: in route-policy.ts but not served`);
    }
    expect(differences).toEqual([]);
  });

  it('refuses every undeclared role with 403 FORBIDDEN and anonymous callers with 401, and never refuses a declared role', async () => {
    const violations: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const policy = ROUTE_POLICY[key(route)];
      const anonymous = await call(stack, route, {});
      calls += 1;
      const anonymousCode = (anonymous.json as { code?: string } | undefined)?.code;
      if (policy === 'PUBLIC') {
        if (anonymous.status === 401 || anonymous.status === 403) violations.push(`${key(route)} anonymous: ${anonymous.status} on a public route`);
      } else if (anonymous.status !== 401 || anonymousCode !== 'UNAUTHENTICATED') {
        violations.push(`${key(route)} anonymous: ${anonymous.status} ${anonymousCode}`);
      }
      for (const role of ROLES) {
        const response = await call(stack, route, callers[role].auth);
        calls += 1;
        const code = (response.json as { code?: string } | undefined)?.code;
        const declared = policy === 'PUBLIC' || (policy ?? []).includes(role);
        if (declared && (response.status === 401 || response.status === 403)) {
          violations.push(`${key(route)} as ${role}: ${response.status} ${code}, but the role is declared`);
        }
        if (!declared && (response.status !== 403 || code !== 'FORBIDDEN')) {
          violations.push(`${key(route)} as ${role}: ${response.status} ${code}, expected 403 FORBIDDEN`);
        }
        if (response.status >= 500) violations.push(`${key(route)} as ${role}: ${response.status}`);
      }
    }
    expect(violations).toEqual([]);
    expect(calls).toBe(routes.length * (ROLES.length + 1));
  });

  it('admits no senior or volunteer on any bed, facility-bed or resident route, even with real ids', async () => {
    const bedRoutes = routes.filter(isBedRoute);
    expect(bedRoutes.length).toBeGreaterThanOrEqual(18);
    const facility = world.facilityA;
    const ids = (name: string): string => (name === 'id' ? facility.id : PLACEHOLDER_ID);
    const before = await fingerprint(stack);
    const admitted: string[] = [];
    for (const route of bedRoutes) {
      // The router's own declaration, so this holds even if the policy table were edited to match.
      const policy = policyOf(route);
      if (policy === 'PUBLIC' || policy === 'UNDECLARED' || policy.includes('SENIOR') || policy.includes('VOLUNTEER')) {
        admitted.push(`${key(route)}: declared ${JSON.stringify(policy)}`);
      }
      const real = route.path.startsWith('/beds/') ? () => facility.beds[0] : route.path.startsWith('/residents/') ? () => facility.resident : ids;
      for (const who of [world.seniorA, world.volunteerA, callers.SENIOR, callers.VOLUNTEER]) {
        const response = await call(stack, route, who.auth, real);
        if (response.status !== 403) admitted.push(`${key(route)} as ${who.user.roles.join(',')}: ${response.status}`);
      }
    }
    expect(admitted).toEqual([]);
    expect(changedTables(before, await fingerprint(stack))).toEqual([]);
  });

  it("answers 404 to a volunteer reading or moving another volunteer's minutes, and changes no balance", async () => {
    const balances = async (): Promise<unknown[]> =>
      Promise.all(
        [world.volunteerA, world.volunteerB].map(
          async (volunteer) => (await http(stack).get('/api/v1/time-bank/accounts/me').set(volunteer.auth).expect(200)).body,
        ),
      );
    const before = await fingerprint(stack);
    const balancesBefore = await balances();
    const intruder = world.volunteerB.auth;
    const attempts: [string, string][] = [
      ['GET', `/api/v1/time-bank/accounts/${world.accountA}`],
      ['GET', `/api/v1/time-bank/accounts/${world.accountA}/entries`],
      ['GET', `/api/v1/time-bank/redemptions/${world.redemptionA}`],
      ['POST', `/api/v1/time-bank/redemptions/${world.redemptionA}/cancel`],
      ['GET', `/api/v1/time-bank/services/${world.pendingServiceA}`],
      ['POST', `/api/v1/time-bank/services/${world.pendingServiceA}/confirm`],
      ['GET', `/api/v1/time-bank/requests/${world.claimedRequestA}`],
    ];
    for (const [method, path] of attempts) {
      const response = await send(stack.baseUrl, { method, path, headers: intruder });
      expect({ method, path, status: response.status, code: (response.json as { code?: string }).code }).toEqual({
        method,
        path,
        status: 404,
        code: 'NOT_FOUND',
      });
    }
    const reject = await send(stack.baseUrl, {
      method: 'POST',
      path: `/api/v1/time-bank/services/${world.pendingServiceA}/reject`,
      headers: intruder,
      body: { reason: '不是我' },
    });
    expect([reject.status, (reject.json as { code?: string }).code]).toEqual([404, 'NOT_FOUND']);
    const complete = await send(stack.baseUrl, {
      method: 'POST',
      path: `/api/v1/time-bank/requests/${world.claimedRequestA}/complete`,
      headers: intruder,
      body: {},
    });
    expect([complete.status, (complete.json as { code?: string }).code]).toEqual([404, 'NOT_FOUND']);
    // Moving minutes out of someone else's account has no route but the administrator's reversal.
    const reverse = await send(stack.baseUrl, {
      method: 'POST',
      path: `/api/v1/time-bank/transfers/${world.earningTransferA}/reverse`,
      headers: intruder,
      body: { reason: '拿走' },
    });
    expect([reverse.status, (reverse.json as { code?: string }).code]).toEqual([403, 'FORBIDDEN']);
    expect(await balances()).toEqual(balancesBefore);
    expect(changedTables(before, await fingerprint(stack))).toEqual([]);
    // The holder does see their own account: the 404s above are about ownership, not a broken route.
    await http(stack).get(`/api/v1/time-bank/accounts/${world.accountA}`).set(world.volunteerA.auth).expect(200);
    await http(stack).get(`/api/v1/time-bank/redemptions/${world.redemptionA}`).set(world.volunteerA.auth).expect(200);
  });
});
