/**
 * Proves object-level authorisation on every route with an id in its path: a caller of the same
 * role as the owner, but another owner (another volunteer, senior or facility), is refused with
 * the product's documented answer and nothing changes in PostgreSQL or Redis; the owner's own
 * request on the same object succeeds. Routes that are not owner-scoped are listed with the
 * reason, and the test fails when the router has an id-bearing route the table does not cover.
 *
 * Documented answers: beds, facility beds, occupancy, board and waiting list, and care-centre
 * records are 403 FORBIDDEN for a manager of another facility or centre (docs/bed-inventory.md
 * "Access", docs/care-centre.md: facilities and centres are public, so hiding them would be
 * pointless); residents, time-bank records and enrolment tickets are 404 NOT_FOUND to anyone
 * but their owner (docs/time-bank.md, docs/enrolment.md), so their existence does not leak.
 */
import { createTestStack, listRoutes, type RouteInfo, type TestStack, type TestUser } from '@app/testing';
import { concretePath, type RawResponse, send } from './support/client';
import { changedTables, fingerprint } from './support/fingerprint';
import { redisFingerprint, settledRedis } from './support/redis';
import { buildWorld, pastStart, type World } from './support/world';

interface Attempt {
  /** Another owner of the same role. */
  as: TestUser;
  params: Record<string, string>;
  body?: Record<string, unknown>;
  expect: { status: number; code: string };
  /** The rightful caller doing the same; must succeed (2xx), proving the refusal is about ownership. */
  owner?: TestUser;
}

type Scenario = { attempts: (world: World) => Attempt[] } | { notScoped: string };

const FORBIDDEN = { status: 403, code: 'FORBIDDEN' };
const NOT_FOUND = { status: 404, code: 'NOT_FOUND' };

/** A manager of facility B on facility A's object: 403 by the documented rule; A's manager succeeds. */
function otherManager(id: (world: World) => string, body?: Record<string, unknown>): Scenario {
  return {
    attempts: (world) => [{ as: world.facilityB.manager, params: { id: id(world) }, body, expect: FORBIDDEN, owner: world.facilityA.manager }],
  };
}

/** A manager of centre B on centre A: 403; A's manager succeeds. */
function otherCentreManager(body?: (world: World) => Record<string, unknown>, ownerSucceeds = true): Scenario {
  return {
    attempts: (world) => [
      {
        as: world.centreB.manager,
        params: { id: world.centreA.id },
        body: body?.(world),
        expect: FORBIDDEN,
        owner: ownerSucceeds ? world.centreA.manager : undefined,
      },
    ],
  };
}

const ADMIN_ONLY = 'administrators act on every object of this kind; no other role reaches the route (role × route matrix)';

const COUNTER_SERVES_ALL =
  'a community service counter serves every senior and relative of the district (一证通办) after checking the ID card; only COUNTER and ADMIN reach the route (role × route matrix)';

const SCENARIOS: Record<string, Scenario> = {
  'POST /facilities/:id/beds': otherManager((w) => w.facilityA.id, { beds: [{ code: 'BOLA-1', room: '1', floor: 1, careLevel: 'NURSING' }] }),
  'GET /facilities/:id/beds': otherManager((w) => w.facilityA.id),
  'GET /facilities/:id/occupancy': otherManager((w) => w.facilityA.id),
  'GET /facilities/:id/board': otherManager((w) => w.facilityA.id),
  'GET /facilities/:id/bed-events': otherManager((w) => w.facilityA.id),
  'POST /facilities/:id/waitlist': {
    attempts: (w) => [
      {
        as: w.facilityB.manager,
        params: { id: w.facilityA.id },
        body: { residentId: w.facilityA.resident, careLevel: 'NURSING', priorityReasons: [] },
        expect: FORBIDDEN,
      },
    ],
  },
  'GET /facilities/:id/waitlist': otherManager((w) => w.facilityA.id),
  'GET /facilities/:id/residents': otherManager((w) => w.facilityA.id),
  'POST /facilities/:id/waitlist/:entryId/withdraw': {
    attempts: (w) => [
      // Through facility A, which they do not manage: 403; through their own facility, the entry is not there: 404.
      { as: w.facilityB.manager, params: { id: w.facilityA.id, entryId: w.facilityA.waitlistEntry }, body: { reason: '越权' }, expect: FORBIDDEN },
      { as: w.facilityB.manager, params: { id: w.facilityB.id, entryId: w.facilityA.waitlistEntry }, body: { reason: '越权' }, expect: NOT_FOUND },
    ],
  },
  'GET /beds/:id': otherManager((w) => w.facilityA.beds[0]),
  'GET /beds/:id/history': otherManager((w) => w.facilityA.beds[0]),
  'POST /beds/:id/hold': {
    attempts: (w) => [{ as: w.facilityB.manager, params: { id: w.facilityA.beds[0] }, body: { residentId: w.facilityA.resident }, expect: FORBIDDEN }],
  },
  'POST /beds/:id/release': otherManager((w) => w.facilityA.reserved, { reason: '越权' }),
  'POST /beds/:id/admit': {
    attempts: (w) => [{ as: w.facilityB.manager, params: { id: w.facilityA.beds[1] }, body: { residentId: w.facilityA.resident }, expect: FORBIDDEN }],
  },
  'POST /beds/:id/discharge': {
    attempts: (w) => [{ as: w.facilityB.manager, params: { id: w.facilityA.beds[2] }, body: { reason: '越权' }, expect: FORBIDDEN }],
  },
  'POST /beds/:id/transfer': {
    attempts: (w) => [
      // Out of a bed they do not manage, and into one: both refused.
      { as: w.facilityB.manager, params: { id: w.facilityA.beds[2] }, body: { toBedId: w.facilityB.beds[0] }, expect: FORBIDDEN },
      { as: w.facilityB.manager, params: { id: w.facilityB.beds[2] }, body: { toBedId: w.facilityA.beds[0] }, expect: FORBIDDEN },
    ],
  },
  'POST /beds/:id/cleaned': otherManager((w) => w.facilityA.cleaning),
  'POST /beds/:id/maintenance': otherManager((w) => w.facilityA.beds[1], { reason: '越权' }),
  'POST /beds/:id/reopen': otherManager((w) => w.facilityA.maintenance),
  'POST /beds/:id/leave': {
    attempts: (w) => [
      {
        as: w.facilityB.manager,
        params: { id: w.facilityA.beds[2] },
        body: { reason: '越权', expectedReturnOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) },
        expect: FORBIDDEN,
      },
    ],
  },
  'POST /beds/:id/return': {
    attempts: (w) => [{ as: w.facilityB.manager, params: { id: w.facilityA.onLeave }, expect: FORBIDDEN }],
  },
  'GET /residents/:id': {
    attempts: (w) => [{ as: w.facilityB.manager, params: { id: w.facilityA.resident }, expect: NOT_FOUND, owner: w.facilityA.manager }],
  },
  'GET /time-bank/accounts/:id': {
    attempts: (w) => [
      { as: w.volunteerB, params: { id: w.accountA }, expect: NOT_FOUND, owner: w.volunteerA },
      { as: w.seniorB, params: { id: w.accountA }, expect: NOT_FOUND },
    ],
  },
  'GET /time-bank/accounts/:id/entries': {
    attempts: (w) => [{ as: w.volunteerB, params: { id: w.accountA }, expect: NOT_FOUND, owner: w.volunteerA }],
  },
  'GET /time-bank/services/:id': {
    attempts: (w) => [
      { as: w.volunteerB, params: { id: w.pendingServiceA }, expect: NOT_FOUND, owner: w.volunteerA },
      { as: w.seniorB, params: { id: w.pendingServiceA }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'POST /time-bank/services/:id/reject': {
    attempts: (w) => [
      { as: w.seniorB, params: { id: w.pendingServiceA }, body: { reason: '越权' }, expect: NOT_FOUND },
      // The volunteer who gave the service cannot reject (or confirm) it either: only the recipient.
      { as: w.volunteerA, params: { id: w.pendingServiceA }, body: { reason: '越权' }, expect: NOT_FOUND },
    ],
  },
  'POST /time-bank/services/:id/confirm': {
    attempts: (w) => [
      { as: w.seniorB, params: { id: w.pendingServiceA }, expect: NOT_FOUND },
      { as: w.volunteerB, params: { id: w.pendingServiceA }, expect: NOT_FOUND },
      { as: w.volunteerA, params: { id: w.pendingServiceA }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'POST /time-bank/services/:id/review-request': {
    attempts: (w) => [
      // Only the volunteer who gave it asks for a review; another volunteer is told it does not exist.
      { as: w.volunteerB, params: { id: w.rejectedServiceA }, body: { reason: '越权' }, expect: NOT_FOUND, owner: w.volunteerA },
    ],
  },
  'POST /time-bank/services/:id/review-decision': {
    attempts: (w) => [
      // Staff for the senior decide; a manager of a centre the senior does not attend is told it does not exist.
      { as: w.centreB.manager, params: { id: w.underReviewServiceA }, body: { outcome: 'CONFIRMED', note: '越权' }, expect: NOT_FOUND, owner: w.admin },
    ],
  },
  'GET /time-bank/redemptions/:id': {
    attempts: (w) => [{ as: w.volunteerB, params: { id: w.redemptionA }, expect: NOT_FOUND, owner: w.volunteerA }],
  },
  'POST /time-bank/redemptions/:id/cancel': {
    attempts: (w) => [
      { as: w.volunteerB, params: { id: w.redemptionA }, expect: NOT_FOUND },
      { as: w.seniorB, params: { id: w.redemptionA }, expect: NOT_FOUND, owner: w.volunteerA },
    ],
  },
  'POST /time-bank/redemptions/:id/complete': {
    // A manager acts only for the seniors of their own care centres (docs/time-bank.md, "Managers");
    // volunteers and seniors are refused by role.
    attempts: (w) => [{ as: w.centreB.manager, params: { id: w.redemptionA }, expect: NOT_FOUND }],
  },
  'GET /time-bank/requests/:id': {
    // An OPEN request is visible to everyone signed in (so volunteers can find it); a claimed one only to its senior and claimer.
    attempts: (w) => [
      { as: w.volunteerB, params: { id: w.claimedRequestA }, expect: NOT_FOUND, owner: w.volunteerA },
      { as: w.seniorB, params: { id: w.claimedRequestA }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'POST /time-bank/requests/:id/claim': {
    // Claiming an open request is the route's purpose; taking over another volunteer's claim is not.
    attempts: (w) => [{ as: w.volunteerB, params: { id: w.claimedRequestA }, expect: { status: 409, code: 'ALREADY_CLAIMED' } }],
  },
  'POST /time-bank/requests/:id/cancel': {
    // The senior's own request; a manager acts only for the seniors of their own care centres.
    attempts: (w) => [
      { as: w.seniorB, params: { id: w.cancellableRequestA }, expect: NOT_FOUND },
      { as: w.centreB.manager, params: { id: w.cancellableRequestA }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'POST /time-bank/requests/:id/release': {
    attempts: (w) => [{ as: w.volunteerB, params: { id: w.releasableRequestA }, expect: NOT_FOUND, owner: w.volunteerA }],
  },
  'POST /time-bank/requests/:id/complete': {
    attempts: (w) => [{ as: w.volunteerB, params: { id: w.claimedRequestA }, body: { startedAt: pastStart() }, expect: NOT_FOUND, owner: w.volunteerA }],
  },
  'GET /time-bank/accounts/:userId/statement': {
    attempts: (w) => [
      { as: w.volunteerB, params: { userId: w.volunteerA.user.id }, expect: NOT_FOUND, owner: w.volunteerA },
      { as: w.seniorB, params: { userId: w.seniorA.user.id }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'POST /time-bank/transfers/:id/reverse': { notScoped: ADMIN_ONLY },
  'PATCH /enrolment/terms/:id': { notScoped: ADMIN_ONLY },
  'PATCH /enrolment/courses/:id': { notScoped: ADMIN_ONLY },
  'POST /enrolment/courses/:id/draw': { notScoped: ADMIN_ONLY },
  'POST /enrolment/courses/:id/cancel': { notScoped: ADMIN_ONLY },
  'GET /enrolment/courses/:id/draw': { notScoped: 'public by design: a published draw can be recomputed by anyone (docs/api.md)' },
  'GET /enrolment/courses/:id/roster': { notScoped: ADMIN_ONLY },
  'GET /enrolment/applications/:ticketId': {
    attempts: (w) => [{ as: w.seniorB, params: { ticketId: w.ticketA }, expect: NOT_FOUND, owner: w.seniorA }],
  },
  'GET /enrolment/applications/:ticketId/events': {
    attempts: (w) => [{ as: w.seniorB, params: { ticketId: w.ticketA }, expect: NOT_FOUND, owner: w.seniorA }],
  },
  'DELETE /enrolment/applications/:ticketId': {
    attempts: (w) => [
      { as: w.seniorB, params: { ticketId: w.ticketA }, expect: NOT_FOUND },
      { as: w.volunteerA, params: { ticketId: w.ticketA }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'PUT /users/:id/roles': { notScoped: ADMIN_ONLY },
  'DELETE /users/:id': { notScoped: ADMIN_ONLY },
  'GET /users/removed/:id': { notScoped: ADMIN_ONLY },
  'POST /users/:id/restore': { notScoped: ADMIN_ONLY },
  'POST /users/:id/password-reset': { notScoped: ADMIN_ONLY },
  'GET /seniors/:id': { notScoped: COUNTER_SERVES_ALL },
  'GET /seniors/:id/card': { notScoped: COUNTER_SERVES_ALL },
  'POST /seniors/:id/password-reset': { notScoped: COUNTER_SERVES_ALL },
  'POST /seniors/:id/volunteer': { notScoped: COUNTER_SERVES_ALL },
  'DELETE /seniors/:id/volunteer': { notScoped: COUNTER_SERVES_ALL },
  'GET /people/:id': { notScoped: COUNTER_SERVES_ALL },
  'GET /people/:id/family-links': { notScoped: COUNTER_SERVES_ALL },
  'PUT /people/:id/id-card': { notScoped: ADMIN_ONLY },
  'GET /people/:id/id-card-corrections': { notScoped: ADMIN_ONLY },
  'POST /people/:id/volunteer': { notScoped: COUNTER_SERVES_ALL },
  'DELETE /people/:id/volunteer': { notScoped: COUNTER_SERVES_ALL },
  'POST /people/:id/password-reset': { notScoped: COUNTER_SERVES_ALL },
  'DELETE /family-links/:id': {
    attempts: (w) => [
      { as: w.seniorB, params: { id: w.familyLinkA }, expect: NOT_FOUND },
      { as: w.volunteerB, params: { id: w.familyLinkA }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'POST /me/notifications/:id/read': {
    attempts: (w) => [
      { as: w.seniorB, params: { id: w.notificationA }, expect: NOT_FOUND, owner: w.seniorA },
      { as: w.volunteerA, params: { id: w.notificationA }, expect: NOT_FOUND, owner: w.seniorA },
    ],
  },
  'GET /care-centres/:id': { notScoped: 'public by design: the district’s care centres are listed for everyone (docs/api.md)' },
  'PATCH /care-centres/:id': { notScoped: ADMIN_ONLY },
  'POST /care-centres/:id/check-ins': otherCentreManager((w) => ({ seniorId: w.seniorA.user.id })),
  'POST /care-centres/:id/check-ins/:checkInId/withdraw': {
    attempts: (w) => [
      // Through their own centre the check-in is not there: 404; through centre A, which they do not manage: 403, and A's manager withdraws it.
      { as: w.centreB.manager, params: { id: w.centreB.id, checkInId: w.checkInA }, expect: NOT_FOUND },
      { as: w.centreB.manager, params: { id: w.centreA.id, checkInId: w.checkInA }, expect: FORBIDDEN, owner: w.centreA.manager },
    ],
  },
  'POST /care-centres/:id/service-records': otherCentreManager((w) => ({
    seniorId: w.seniorA.user.id,
    serviceType: 'MEAL',
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
  })),
  'GET /care-centres/:id/attendance': otherCentreManager(),
  'GET /care-centres/:id/service-records': otherCentreManager(),
  'GET /care-centres/:id/withdrawals': otherCentreManager(),
  'POST /care-centres/:id/service-records/:recordId/withdraw': {
    attempts: (w) => [
      { as: w.centreB.manager, params: { id: w.centreB.id, recordId: w.serviceRecordA }, expect: NOT_FOUND },
      { as: w.centreB.manager, params: { id: w.centreA.id, recordId: w.serviceRecordA }, expect: FORBIDDEN, owner: w.centreA.manager },
    ],
  },
};

function key(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

describe('object-level authorisation on every id-bearing route', () => {
  let stack: TestStack;
  let world: World;
  let routes: RouteInfo[];
  beforeAll(async () => {
    stack = await createTestStack();
    world = await buildWorld(stack);
    routes = listRoutes(stack.app).filter((route) => route.path.includes('/:'));
  });
  afterAll(async () => stack.close());

  function request(route: RouteInfo, attempt: Attempt, as: TestUser): Promise<RawResponse> {
    return send(stack.baseUrl, { method: route.method, path: concretePath(route, (name) => attempt.params[name] ?? ''), headers: as.auth, body: attempt.body });
  }

  it('has a scenario, or a stated reason, for every route with an id in its path', () => {
    expect(routes.length).toBeGreaterThanOrEqual(40);
    expect(routes.map(key).filter((route) => !SCENARIOS[route])).toEqual([]);
    expect(Object.keys(SCENARIOS).filter((route) => !routes.some((served) => key(served) === route))).toEqual([]);
  });

  it("refuses another owner's reads and writes with the documented answer, changes nothing, and lets the owner through", async () => {
    const problems: string[] = [];
    let refused = 0;
    let owned = 0;
    // Set after a write that may leave work the API does just after answering (coalesced wake-ups).
    let unsettled = true;
    for (const route of routes) {
      const scenario = SCENARIOS[key(route)];
      if (!scenario || 'notScoped' in scenario) continue;
      for (const attempt of scenario.attempts(world)) {
        const before = await fingerprint(stack);
        // Work the API does just after answering an owner's write must not count as this attempt's change.
        const redisBefore = unsettled ? await settledRedis(stack) : await redisFingerprint(stack);
        unsettled = false;
        const response = await request(route, attempt, attempt.as);
        refused += 1;
        const code = (response.json as { code?: string } | undefined)?.code;
        const who = `${key(route)} as ${attempt.as.user.roles.join(',')} ${attempt.as.user.id.slice(0, 8)}`;
        if (response.status !== attempt.expect.status || code !== attempt.expect.code) {
          problems.push(`${who}: ${response.status} ${code}, expected ${attempt.expect.status} ${attempt.expect.code}`);
        }
        const changed = changedTables(before, await fingerprint(stack));
        if (changed.length > 0) problems.push(`${who} changed ${changed.join(', ')}`);
        if ((await redisFingerprint(stack)) !== redisBefore) problems.push(`${who} changed Redis`);
        if (attempt.owner) {
          const own = await request(route, attempt, attempt.owner);
          owned += 1;
          unsettled = route.method !== 'GET';
          if (own.status < 200 || own.status >= 300) problems.push(`${key(route)} as its owner: ${own.status} ${own.text.slice(0, 160)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(refused).toBeGreaterThanOrEqual(40);
    expect(owned).toBeGreaterThanOrEqual(25);
  });

  it('refuses ids of another facility carried in a body, with nothing changed', async () => {
    const a = world.facilityA;
    const b = world.facilityB;
    const attempts: [string, Record<string, unknown>, number][] = [
      // A resident of facility B is invisible to A's manager: holding or admitting them is 404.
      [`/api/v1/beds/${a.beds[0]}/hold`, { residentId: b.resident }, 404],
      [`/api/v1/beds/${a.beds[0]}/admit`, { residentId: b.resident }, 404],
      [`/api/v1/facilities/${a.id}/waitlist`, { residentId: b.resident, careLevel: 'NURSING', priorityReasons: [] }, 404],
      // A bed of facility B cannot be the target of A's transfer.
      [`/api/v1/beds/${a.beds[2]}/transfer`, { toBedId: b.beds[0] }, 403],
    ];
    for (const [path, body, status] of attempts) {
      const before = await fingerprint(stack);
      const response = await send(stack.baseUrl, { method: 'POST', path, headers: a.manager.auth, body });
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(changedTables(before, await fingerprint(stack))).toEqual([]);
    }
  });
});
