import { adminOf, birthDateForAge, createUser, http, type TestStack, type TestUser, uniqueResidentId } from '@app/testing';
import { pastStart } from '../../time-bank/helpers';

/** A start time in the past that no other service of this process uses. */
export { pastStart };

/** An id that names nothing, for routes called without a real resource. */
export const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

const HOUR_MS = 60 * 60 * 1000;
let counter = 0;

function next(): number {
  counter += 1;
  return counter;
}

/** A time in the future, different on every call, and well within the year ahead a booking may be for. */
export function futureTime(): string {
  return new Date(Date.now() + (next() + 48) * HOUR_MS).toISOString();
}

async function ok<T>(promise: PromiseLike<{ status: number; body: unknown; text: string }>, expected: number, what: string): Promise<T> {
  const response = await promise;
  if (response.status !== expected) throw new Error(`${what}: expected ${expected}, got ${response.status} ${response.text.slice(0, 300)}`);
  return response.body as T;
}

export interface Facility {
  id: string;
  manager: TestUser;
  /** Beds: [0] and [1] AVAILABLE, [2] OCCUPIED by `occupant`. */
  beds: string[];
  /** Beds in the other states, so that every action has a bed it would really move. */
  reserved: string;
  cleaning: string;
  maintenance: string;
  /** A bed ON_LEAVE: its resident is away and keeps it. */
  onLeave: string;
  /** A WAITING entry of the waiting list (a self-care place: the facility has no such bed to offer). */
  waitlistEntry: string;
  /** A resident without a bed or a hold. */
  resident: string;
  /** The resident in beds[2]. */
  occupant: string;
}

export interface Centre {
  id: string;
  manager: TestUser;
}

/**
 * One of everything, owned by two parties of each kind ("A" and "B"), so access rules can be
 * tried across owners: two nursing homes with their managers, beds and residents; two care
 * centres with theirs; two volunteers old enough to redeem with earned minutes, a held
 * redemption, a pending service and a claimed request each; two seniors with an open request
 * and a queued enrolment ticket each; an open term with a first-come and a lottery course.
 */
export interface World {
  admin: TestUser;
  facilityA: Facility;
  facilityB: Facility;
  centreA: Centre;
  centreB: Centre;
  volunteerA: TestUser;
  volunteerB: TestUser;
  seniorA: TestUser;
  seniorB: TestUser;
  /** A senior who also volunteers, and has taken nothing on. */
  seniorVolunteer: TestUser;
  /** Account ids of the volunteers (holders of earned minutes). */
  accountA: string;
  accountB: string;
  /** Per volunteer: a confirmed earning's transfer, a pending service, a held redemption, a claimed request. */
  earningTransferA: string;
  earningTransferB: string;
  pendingServiceA: string;
  pendingServiceB: string;
  /** Per volunteer: a service the senior turned down (its volunteer may ask for a review), and one under review. */
  rejectedServiceA: string;
  rejectedServiceB: string;
  underReviewServiceA: string;
  underReviewServiceB: string;
  redemptionA: string;
  redemptionB: string;
  claimedRequestA: string;
  claimedRequestB: string;
  /** Per volunteer: another claimed request, for giving back. */
  releasableRequestA: string;
  releasableRequestB: string;
  /** Open requests posted by each senior. */
  openRequestA: string;
  openRequestB: string;
  /** Another open request of each senior, for cancelling. */
  cancellableRequestA: string;
  cancellableRequestB: string;
  termId: string;
  courseId: string;
  lotteryCourseId: string;
  /** A queued enrolment ticket of each senior (first-come course). */
  ticketA: string;
  ticketB: string;
  /** Senior A's family link to volunteer A (a relative). */
  familyLinkA: string;
  /** One of senior A's inbox notifications (a service waiting for the senior's confirmation). */
  notificationA: string;
  /** Today's check-in at centre A of a senior who takes no other part (so centre A's managers act for no one else). */
  checkInA: string;
  /** A service record entered today at centre A, for that senior. */
  serviceRecordA: string;
}

async function facility(stack: TestStack, admin: TestUser, label: string): Promise<Facility> {
  const created = await ok<{ id: string }>(
    http(stack)
      .post('/api/v1/facilities')
      .set(admin.auth)
      .send({ name: `安全测试养老院${label}${process.pid}-${next()}`, kind: 'NURSING_HOME', street: '彭埠街道' }),
    201,
    'facility',
  );
  const manager = await createUser(stack, ['MANAGER'], { facilityIds: [created.id] });
  const beds = await ok<{ items: { id: string }[] }>(
    http(stack)
      .post(`/api/v1/facilities/${created.id}/beds`)
      .set(manager.auth)
      .send({ beds: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ code: `S${label}-${next()}-${n}`, room: `${n}01`, floor: 1, careLevel: 'NURSING' })) }),
    201,
    'beds',
  );
  const resident = await addResident(stack, created.id, manager);
  const occupant = await addResident(stack, created.id, manager);
  const passing = await addResident(stack, created.id, manager);
  const ids = beds.items.map((bed) => bed.id);
  const act = (bed: string, action: string, body: Record<string, unknown> = {}): Promise<unknown> =>
    ok(http(stack).post(`/api/v1/beds/${bed}/${action}`).set(manager.auth).send(body), 200, action);
  await act(ids[2], 'admit', { residentId: occupant });
  await act(ids[4], 'admit', { residentId: passing });
  await act(ids[4], 'discharge', { reason: '出院' });
  await act(ids[3], 'hold', { residentId: passing });
  await act(ids[5], 'maintenance', { reason: '检修' });
  const away = await addResident(stack, created.id, manager);
  await act(ids[6], 'admit', { residentId: away });
  await act(ids[6], 'leave', { reason: '住院治疗', expectedReturnOn: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10) });
  const waiting = await addResident(stack, created.id, manager);
  const entry = await ok<{ id: string }>(
    http(stack).post(`/api/v1/facilities/${created.id}/waitlist`).set(manager.auth).send({ residentId: waiting, careLevel: 'SELF_CARE', priorityReasons: [] }),
    201,
    'waitlist entry',
  );
  return {
    id: created.id,
    manager,
    beds: ids.slice(0, 3),
    reserved: ids[3],
    cleaning: ids[4],
    maintenance: ids[5],
    onLeave: ids[6],
    waitlistEntry: entry.id,
    resident,
    occupant,
  };
}

/** A resident of the facility, with an emergency contact; returns the id. */
export async function addResident(
  stack: TestStack,
  facilityId: string,
  by: TestUser,
  idCardNumber = uniqueResidentId(birthDateForAge(82)),
  contactPhone = '13912345678',
): Promise<string> {
  const created = await ok<{ id: string }>(
    http(stack)
      .post('/api/v1/residents')
      .set(by.auth)
      .send({
        name: '安全测试老人',
        idCardNumber,
        careLevel: 'NURSING',
        facilityId,
        emergencyContacts: [{ name: '家属', relation: '女儿', phone: contactPhone }],
      }),
    201,
    'resident',
  );
  return created.id;
}

async function centre(stack: TestStack, admin: TestUser): Promise<Centre> {
  const created = await ok<{ id: string }>(
    http(stack)
      .post('/api/v1/care-centres')
      .set(admin.auth)
      .send({
        name: `安全测试照料中心${process.pid}-${next()}`,
        street: '湖滨街道',
        operatorKind: 'GOVERNMENT',
        status: 'OPERATING',
        dayCapacity: 30,
        sunshineKitchen: true,
      }),
    201,
    'care centre',
  );
  return { id: created.id, manager: await createUser(stack, ['MANAGER'], { facilityIds: [created.id] }) };
}

/** Records a service by the volunteer for the senior; confirmed by the senior when asked. Returns the service id. */
export async function recordService(stack: TestStack, volunteer: TestUser, recipient: TestUser, confirm: boolean): Promise<string> {
  const service = await ok<{ id: string }>(
    http(stack)
      .post('/api/v1/time-bank/services')
      .set(volunteer.auth)
      .send({ recipientId: recipient.user.id, serviceType: 'COMPANIONSHIP', startedAt: pastStart(), durationMinutes: 240 }),
    201,
    'service',
  );
  if (confirm) await ok(http(stack).post(`/api/v1/time-bank/services/${service.id}/confirm`).set(recipient.auth), 200, 'confirm');
  return service.id;
}

export async function postRequest(stack: TestStack, senior: TestUser): Promise<string> {
  const created = await ok<{ id: string }>(
    http(stack)
      .post('/api/v1/time-bank/requests')
      .set(senior.auth)
      .send({ serviceType: 'SHOPPING', wantedAt: futureTime(), durationMinutes: 60, street: '彭埠街道' }),
    201,
    'request',
  );
  return created.id;
}

export async function bookRedemption(stack: TestStack, holder: TestUser, minutes = 60): Promise<string> {
  const created = await ok<{ id: string }>(
    http(stack).post('/api/v1/time-bank/redemptions').set(holder.auth).send({ serviceType: 'CLEANING', minutes, scheduledFor: futureTime() }),
    201,
    'redemption',
  );
  return created.id;
}

interface VolunteerSide {
  account: string;
  earningTransfer: string;
  pendingService: string;
  rejectedService: string;
  underReviewService: string;
  redemption: string;
  claimedRequest: string;
  releasableRequest: string;
}

async function volunteerSide(stack: TestStack, volunteer: TestUser, senior: TestUser): Promise<VolunteerSide> {
  await recordService(stack, volunteer, senior, true);
  const pendingService = await recordService(stack, volunteer, senior, false);
  const [rejectedService, underReviewService] = [await recordService(stack, volunteer, senior, false), await recordService(stack, volunteer, senior, false)];
  for (const id of [rejectedService, underReviewService]) {
    await ok(http(stack).post(`/api/v1/time-bank/services/${id}/reject`).set(senior.auth).send({ reason: '当天没有上门' }), 200, 'reject');
  }
  await ok(
    http(stack).post(`/api/v1/time-bank/services/${underReviewService}/review-request`).set(volunteer.auth).send({ reason: '当天下午上门了' }),
    200,
    'review request',
  );
  const account = await ok<{ accountId: string }>(http(stack).get('/api/v1/time-bank/accounts/me').set(volunteer.auth), 200, 'account');
  const entries = await ok<{ items: { kind: string; transferId: string | null }[] }>(
    http(stack).get('/api/v1/time-bank/accounts/me/entries').set(volunteer.auth),
    200,
    'entries',
  );
  const earning = entries.items.find((entry) => entry.kind === 'EARNED')?.transferId;
  if (!earning) throw new Error('the volunteer has no earning');
  const redemption = await bookRedemption(stack, volunteer);
  const claimedRequest = await postRequest(stack, senior);
  const releasableRequest = await postRequest(stack, senior);
  for (const request of [claimedRequest, releasableRequest]) {
    await ok(http(stack).post(`/api/v1/time-bank/requests/${request}/claim`).set(volunteer.auth), 200, 'claim');
  }
  return {
    account: account.accountId,
    earningTransfer: earning,
    pendingService,
    rejectedService,
    underReviewService,
    redemption,
    claimedRequest,
    releasableRequest,
  };
}

async function apply(stack: TestStack, senior: TestUser, courseId: string): Promise<string> {
  const accepted = await ok<{ ticketId: string }>(http(stack).post('/api/v1/enrolment/applications').set(senior.auth).send({ courseId }), 202, 'apply');
  return accepted.ticketId;
}

/** Builds the world over HTTP, as its users would. */
export async function buildWorld(stack: TestStack): Promise<World> {
  const admin = await adminOf(stack);
  const [facilityA, facilityB, centreA, centreB] = [
    await facility(stack, admin, 'A'),
    await facility(stack, admin, 'B'),
    await centre(stack, admin),
    await centre(stack, admin),
  ];
  // Old enough to redeem their minutes (60 by default).
  const volunteerA = await createUser(stack, ['VOLUNTEER'], { birthDate: birthDateForAge(66) });
  const volunteerB = await createUser(stack, ['VOLUNTEER'], { birthDate: birthDateForAge(67) });
  const seniorA = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(72) });
  const seniorB = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(73) });
  const sideA = await volunteerSide(stack, volunteerA, seniorA);
  const sideB = await volunteerSide(stack, volunteerB, seniorB);
  const openRequestA = await postRequest(stack, seniorA);
  const openRequestB = await postRequest(stack, seniorB);
  const cancellableRequestA = await postRequest(stack, seniorA);
  const cancellableRequestB = await postRequest(stack, seniorB);
  const term = await ok<{ id: string }>(
    http(stack)
      .post('/api/v1/enrolment/terms')
      .set(admin.auth)
      .send({
        name: `安全测试学期${next()}`,
        opensAt: new Date(Date.now() - HOUR_MS).toISOString(),
        closesAt: new Date(Date.now() + 48 * HOUR_MS).toISOString(),
        maxCoursesPerSenior: 5,
        minAge: 55,
      }),
    201,
    'term',
  );
  const course = (mode: string, weekday: number): Promise<{ id: string }> =>
    ok<{ id: string }>(
      http(stack)
        .post('/api/v1/enrolment/courses')
        .set(admin.auth)
        .send({ termId: term.id, title: `书法${next()}`, campus: '杭州市上城区老年大学', capacity: 10, weekday, startTime: '09:00', endTime: '10:30', mode }),
      201,
      'course',
    );
  const courseId = (await course('FIRST_COME', 1)).id;
  const lotteryCourseId = (await course('LOTTERY', 2)).id;
  const ticketA = await apply(stack, seniorA, courseId);
  const ticketB = await apply(stack, seniorB, courseId);
  const familyLinkA = await ok<{ id: string }>(
    http(stack).post('/api/v1/family-links').set(seniorA.auth).send({ relativePhone: volunteerA.user.phone, relation: 'CHILD' }),
    201,
    'family link',
  );
  const notifications: { id: string }[] = await stack.dataSource.query(
    `SELECT id FROM notifications WHERE addressee_id = $1 AND channel = 'INBOX' ORDER BY created_at LIMIT 1`,
    [seniorA.user.id],
  );
  const notificationA = notifications[0]?.id;
  if (!notificationA) throw new Error('world: senior A has no notification');
  const attendee = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(80) });
  const seniorVolunteer = await createUser(stack, ['SENIOR', 'VOLUNTEER'], { birthDate: birthDateForAge(68) });
  const checkInA = (
    await ok<{ id: string }>(
      http(stack).post(`/api/v1/care-centres/${centreA.id}/check-ins`).set(centreA.manager.auth).send({ seniorId: attendee.user.id }),
      201,
      'check-in',
    )
  ).id;
  const serviceRecordA = (
    await ok<{ id: string }>(
      http(stack)
        .post(`/api/v1/care-centres/${centreA.id}/service-records`)
        .set(centreA.manager.auth)
        .send({ seniorId: attendee.user.id, serviceType: 'MEAL', occurredAt: new Date(Date.now() - HOUR_MS).toISOString() }),
      201,
      'service record',
    )
  ).id;
  return {
    admin,
    facilityA,
    facilityB,
    centreA,
    centreB,
    volunteerA,
    volunteerB,
    seniorA,
    seniorB,
    seniorVolunteer,
    accountA: sideA.account,
    accountB: sideB.account,
    earningTransferA: sideA.earningTransfer,
    earningTransferB: sideB.earningTransfer,
    pendingServiceA: sideA.pendingService,
    pendingServiceB: sideB.pendingService,
    rejectedServiceA: sideA.rejectedService,
    rejectedServiceB: sideB.rejectedService,
    underReviewServiceA: sideA.underReviewService,
    underReviewServiceB: sideB.underReviewService,
    redemptionA: sideA.redemption,
    redemptionB: sideB.redemption,
    claimedRequestA: sideA.claimedRequest,
    claimedRequestB: sideB.claimedRequest,
    releasableRequestA: sideA.releasableRequest,
    releasableRequestB: sideB.releasableRequest,
    openRequestA,
    openRequestB,
    cancellableRequestA,
    cancellableRequestB,
    termId: term.id,
    courseId,
    lotteryCourseId,
    ticketA,
    ticketB,
    familyLinkA: familyLinkA.id,
    notificationA,
    checkInA,
    serviceRecordA,
  };
}
