import type { Browser } from 'playwright-core';
import {
  adminOf,
  birthDateForAge,
  createTestStackWith,
  createUser,
  http,
  type TestStack,
  type TestStackOptions,
  type TestUser,
  uniqueResidentId,
} from '@app/testing';
import { ensureWebBuild, launchBrowser } from './browser';

export interface World {
  admin: TestUser;
  senior: TestUser;
  volunteer: TestUser;
  manager: TestUser;
  centreManager: TestUser;
  facilityId: string;
  centreId: string;
  beds: { id: string; code: string; status: string }[];
  courseId: string;
  ticketId: string;
  requestId: string;
  residentId: string;
}

const HOUR = 3_600_000;

/** A small district over the public API: a term with courses, a home with beds on two floors, a care centre, a ticket, a request. */
export async function createWorld(stack: TestStack): Promise<World> {
  const api = http(stack);
  const admin = await adminOf(stack);
  const senior = await createUser(stack, ['SENIOR'], { name: '李桂兰', birthDate: birthDateForAge(72) });
  const volunteer = await createUser(stack, ['VOLUNTEER'], { name: '张志强', birthDate: birthDateForAge(64) });

  const term = await api
    .post('/api/v1/enrolment/terms')
    .set(admin.auth)
    .send({
      name: '2026年秋季学期',
      opensAt: new Date(Date.now() - HOUR).toISOString(),
      closesAt: new Date(Date.now() + 72 * HOUR).toISOString(),
      maxCoursesPerSenior: 3,
      minAge: 55,
    })
    .expect(201);
  const courses = [
    { title: '书法入门', capacity: 30, weekday: 1, startTime: '09:00', endTime: '11:00', mode: 'FIRST_COME' },
    { title: '智能手机使用', capacity: 25, weekday: 3, startTime: '14:00', endTime: '15:30', mode: 'FIRST_COME' },
    { title: '太极拳', capacity: 40, weekday: 5, startTime: '07:30', endTime: '09:00', mode: 'LOTTERY' },
  ];
  const created: string[] = [];
  for (const course of courses) {
    const response = await api
      .post('/api/v1/enrolment/courses')
      .set(admin.auth)
      .send({ termId: term.body.id, campus: '上城区老年大学', ...course })
      .expect(201);
    created.push(response.body.id as string);
  }
  const ticket = await api.post('/api/v1/enrolment/applications').set(senior.auth).send({ courseId: created[0] }).expect(202);

  const facility = await api.post('/api/v1/facilities').set(admin.auth).send({ name: '彭埠颐养院', kind: 'NURSING_HOME', street: '彭埠街道' }).expect(201);
  const facilityId = facility.body.id as string;
  const bedInput = [];
  for (const floor of [1, 2]) {
    for (const room of ['01', '02', '03']) {
      for (const letter of ['A', 'B'])
        bedInput.push({ code: `${floor}-${floor}${room}-${letter}`, room: `${floor}${room}`, floor, careLevel: floor === 1 ? 'NURSING' : 'SELF_CARE' });
    }
  }
  const beds = (await api.post(`/api/v1/facilities/${facilityId}/beds`).set(admin.auth).send({ beds: bedInput }).expect(201)).body.items as {
    id: string;
    code: string;
    status: string;
  }[];
  const manager = await createUser(stack, ['MANAGER'], { name: '陈经理', facilityIds: [facilityId] });

  const resident = await api
    .post('/api/v1/residents')
    .set(manager.auth)
    .send({
      name: '赵德明',
      idCardNumber: uniqueResidentId(birthDateForAge(84)),
      careLevel: 'NURSING',
      facilityId,
      emergencyContacts: [{ name: '赵小红', relation: '女儿', phone: '13912345678' }],
    })
    .expect(201);
  const residentId = resident.body.id as string;
  await api.post(`/api/v1/beds/${beds[0]?.id}/admit`).set(manager.auth).send({ residentId }).expect(200);
  await api.post(`/api/v1/beds/${beds[3]?.id}/maintenance`).set(manager.auth).send({ reason: '更换护理床' }).expect(200);

  const centre = await api
    .post('/api/v1/care-centres')
    .set(admin.auth)
    .send({
      name: '湖滨街道照料中心',
      street: '湖滨街道',
      operatorKind: 'SOCIAL_OPERATOR',
      operatorName: '杭州颐乐养老服务有限公司',
      contractEndsOn: '2030-12-31',
      status: 'OPERATING',
      dayCapacity: 30,
      sunshineKitchen: true,
    })
    .expect(201);
  const centreId = centre.body.id as string;
  const centreManager = await createUser(stack, ['MANAGER'], { name: '周主任', facilityIds: [centreId] });

  const request = await api
    .post('/api/v1/time-bank/requests')
    .set(senior.auth)
    .send({
      serviceType: 'ESCORT',
      wantedAt: new Date(Date.now() + 48 * HOUR).toISOString(),
      durationMinutes: 120,
      street: '湖滨街道 东坡路 12 号',
      note: '去社区医院复查',
    })
    .expect(201);

  return {
    admin,
    senior,
    volunteer,
    manager,
    centreManager,
    facilityId,
    centreId,
    beds,
    courseId: created[0] ?? '',
    ticketId: ticket.body.ticketId as string,
    requestId: request.body.id as string,
    residentId,
  };
}

/**
 * Builds the pages when needed, boots a stack with its worker on the district of `createWorld`
 * (with `config` changed, if given), and launches the browser.
 */
export async function startWorld(
  browserArgs: string[] = [],
  config?: TestStackOptions['config'],
): Promise<{ stack: TestStack; world: World; browser: Browser }> {
  ensureWebBuild();
  return createTestStackWith(async (stack) => ({ world: await createWorld(stack), browser: await launchBrowser(browserArgs) }), { worker: true, config });
}

/** The current pages built, a stack with its administrator, and a browser: where a desk's test starts. */
export async function startAdminAndBrowser(options: TestStackOptions = {}): Promise<{ stack: TestStack; admin: TestUser; browser: Browser }> {
  ensureWebBuild();
  return createTestStackWith(async (stack) => ({ admin: await adminOf(stack), browser: await launchBrowser() }), options);
}

/** Earns `minutes` for the volunteer: a service they log, confirmed by the senior who received it. */
export async function earnMinutes(stack: TestStack, volunteer: TestUser, senior: TestUser, minutes: number): Promise<void> {
  const service = await http(stack)
    .post('/api/v1/time-bank/services')
    .set(volunteer.auth)
    .send({ recipientId: senior.user.id, serviceType: 'COMPANIONSHIP', startedAt: new Date(Date.now() - 30 * HOUR).toISOString(), durationMinutes: minutes })
    .expect(201);
  await http(stack).post(`/api/v1/time-bank/services/${service.body.id}/confirm`).set(senior.auth).expect(200);
}

/**
 * A request of the world's senior, wanted at `wantedAt` (an hour's service in 湖滨街道 unless
 * said), taken by the world's volunteer. Returns its id.
 */
export async function claimedRequest(
  stack: TestStack,
  world: World,
  request: { serviceType: string; wantedAt: Date; durationMinutes?: number; street?: string },
): Promise<string> {
  const posted = await http(stack)
    .post('/api/v1/time-bank/requests')
    .set(world.senior.auth)
    .send({
      serviceType: request.serviceType,
      wantedAt: request.wantedAt.toISOString(),
      durationMinutes: request.durationMinutes ?? 60,
      street: request.street ?? '湖滨街道',
    })
    .expect(201);
  const id = posted.body.id as string;
  await http(stack).post(`/api/v1/time-bank/requests/${id}/claim`).set(world.volunteer.auth).expect(200);
  return id;
}

/**
 * A request of the world's senior for an hour's service, taken by the world's volunteer, whose
 * time is now three hours past (posted ahead, as the API requires, then moved back): its service
 * and the hour in which anyone could take it are over. Returns its id.
 */
export async function pastClaim(stack: TestStack, world: World, serviceType: string): Promise<string> {
  const id = await claimedRequest(stack, world, { serviceType, wantedAt: new Date(Date.now() + 60 * 60 * 1000) });
  await stack.dataSource.query(`UPDATE time_bank_requests SET wanted_at = now() - interval '3 hours' WHERE id = $1`, [id]);
  return id;
}
