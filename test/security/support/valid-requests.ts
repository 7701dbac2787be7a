import { birthDateForAge, TEST_PASSWORD, type TestUser, uniquePhone, uniqueResidentId } from '@app/testing';
import { futureTime, pastStart, type World } from './world';

/** A request that the route accepts as it stands, sent by `as` (null: anonymous). */
export interface ValidRequest {
  as: TestUser | null;
  /** Path parameter values by name. */
  params?: Record<string, string>;
  /** The JSON body, or undefined for a route that takes none. */
  body?: Record<string, unknown>;
}

let counter = 0;
function unique(label: string): string {
  counter += 1;
  return `${label}${process.pid}-${counter}`;
}

/**
 * A schema-valid request for every route that writes, with the world's ids, and, where the
 * route takes no body, a resource in a state where the action would really happen, so that a
 * request that should be refused but is not shows as a change.
 */
export function validRequests(world: World): Record<string, () => ValidRequest> {
  const a = world.facilityA;
  return {
    'POST /auth/login': () => ({ as: null, body: { phone: world.seniorA.user.phone, password: TEST_PASSWORD } }),
    'POST /auth/register': () => ({
      as: null,
      body: { name: '新注册老人', phone: uniquePhone(), password: 'long-enough-1', idCardNumber: uniqueResidentId(birthDateForAge(70)) },
    }),
    'POST /users': () => ({ as: world.admin, body: { name: '新志愿者', phone: uniquePhone(), password: 'long-enough-1', roles: ['VOLUNTEER'] } }),
    'PUT /users/:id/roles': () => ({ as: world.admin, params: { id: world.volunteerB.user.id }, body: { roles: ['VOLUNTEER', 'FAMILY'] } }),
    'DELETE /users/:id': () => ({ as: world.admin, params: { id: world.volunteerB.user.id } }),
    // Not removed: the account as it is, nothing done.
    'POST /users/:id/restore': () => ({ as: world.admin, params: { id: world.volunteerB.user.id }, body: {} }),
    'POST /me/password': () => ({ as: world.volunteerB, body: { currentPassword: TEST_PASSWORD, newPassword: 'long-enough-2' } }),
    // A volunteer who is also a senior, so that a request let through would take the role away.
    'DELETE /me/volunteer': () => ({ as: world.seniorVolunteer }),
    'POST /me/close': () => ({ as: world.volunteerB, body: { password: TEST_PASSWORD } }),
    'POST /auth/reset-password': () => ({ as: null, body: { phone: world.seniorA.user.phone ?? '', oneTimeCode: '00000000', newPassword: 'long-enough-2' } }),
    'POST /seniors': () => ({ as: world.admin, body: { name: '窗口登记老人', idCardNumber: uniqueResidentId(birthDateForAge(77)) } }),
    'POST /users/:id/password-reset': () => ({ as: world.admin, params: { id: world.volunteerB.user.id } }),
    'POST /seniors/:id/password-reset': () => ({ as: world.admin, params: { id: world.seniorA.user.id } }),
    'POST /seniors/:id/volunteer': () => ({ as: world.admin, params: { id: world.seniorA.user.id } }),
    'DELETE /seniors/:id/volunteer': () => ({ as: world.admin, params: { id: world.seniorA.user.id } }),
    'POST /people/:id/volunteer': () => ({ as: world.admin, params: { id: world.seniorA.user.id }, body: {} }),
    'DELETE /people/:id/volunteer': () => ({ as: world.admin, params: { id: world.seniorA.user.id } }),
    'PUT /people/:id/id-card': () => ({
      as: world.admin,
      params: { id: world.seniorA.user.id },
      body: { idCardNumber: uniqueResidentId(birthDateForAge(70)), reason: '窗口登记时录错' },
    }),
    'POST /people/:id/password-reset': () => ({ as: world.admin, params: { id: world.seniorA.user.id } }),
    'POST /family-links': () => ({ as: world.seniorB, body: { relativePhone: world.volunteerB.user.phone ?? '', relation: 'CHILD' } }),
    'DELETE /family-links/:id': () => ({ as: world.seniorA, params: { id: world.familyLinkA } }),
    'POST /me/notifications/:id/read': () => ({ as: world.seniorA, params: { id: world.notificationA } }),
    'PATCH /me/preferences': () => ({ as: world.seniorA, body: { sms: false } }),
    'POST /facilities': () => ({ as: world.admin, body: { name: unique('新养老院'), kind: 'NURSING_HOME', street: '彭埠街道' } }),
    'POST /facilities/:id/beds': () => ({
      as: a.manager,
      params: { id: a.id },
      body: { beds: [{ code: unique('M-'), room: '901', floor: 9, careLevel: 'NURSING' }] },
    }),
    'POST /facilities/:id/waitlist': () => ({
      as: a.manager,
      params: { id: a.id },
      body: { residentId: a.resident, careLevel: 'NURSING', priorityReasons: ['LIVING_ALONE'] },
    }),
    'POST /beds/:id/hold': () => ({ as: a.manager, params: { id: a.beds[0] }, body: { residentId: a.resident } }),
    'POST /beds/:id/release': () => ({ as: a.manager, params: { id: a.reserved }, body: { reason: '家属改期' } }),
    'POST /beds/:id/admit': () => ({ as: a.manager, params: { id: a.beds[0] }, body: { residentId: a.resident } }),
    'POST /beds/:id/discharge': () => ({ as: a.manager, params: { id: a.beds[2] }, body: { reason: '出院' } }),
    'POST /beds/:id/transfer': () => ({ as: a.manager, params: { id: a.beds[2] }, body: { toBedId: a.beds[1] } }),
    'POST /beds/:id/cleaned': () => ({ as: a.manager, params: { id: a.cleaning } }),
    'POST /beds/:id/maintenance': () => ({ as: a.manager, params: { id: a.beds[1] }, body: { reason: '检修' } }),
    'POST /beds/:id/reopen': () => ({ as: a.manager, params: { id: a.maintenance } }),
    'POST /beds/:id/leave': () => ({
      as: a.manager,
      params: { id: a.beds[2] },
      body: { reason: '回家探亲', expectedReturnOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) },
    }),
    'POST /beds/:id/return': () => ({ as: a.manager, params: { id: a.onLeave } }),
    'POST /facilities/:id/waitlist/:entryId/withdraw': () => ({
      as: a.manager,
      params: { id: a.id, entryId: a.waitlistEntry },
      body: { reason: '家属另有安排' },
    }),
    'POST /residents': () => ({
      as: a.manager,
      body: {
        name: '新入住老人',
        idCardNumber: uniqueResidentId(birthDateForAge(81)),
        careLevel: 'ASSISTED',
        facilityId: a.id,
        emergencyContacts: [{ name: '家属', relation: '儿子', phone: '13912345678' }],
      },
    }),
    'POST /time-bank/services': () => ({
      as: world.volunteerA,
      body: { recipientId: world.seniorA.user.id, serviceType: 'ESCORT', startedAt: pastStart(), durationMinutes: 60 },
    }),
    'POST /time-bank/services/:id/confirm': () => ({ as: world.seniorA, params: { id: world.pendingServiceA } }),
    'POST /time-bank/services/:id/reject': () => ({ as: world.seniorA, params: { id: world.pendingServiceA }, body: { reason: '当天没有上门' } }),
    'POST /time-bank/services/:id/review-request': () => ({
      as: world.volunteerA,
      params: { id: world.rejectedServiceA },
      body: { reason: '当天下午上门了' },
    }),
    'POST /time-bank/services/:id/review-decision': () => ({
      as: world.admin,
      params: { id: world.underReviewServiceA },
      body: { outcome: 'CONFIRMED', note: '已问过老人的家属' },
    }),
    'POST /time-bank/redemptions': () => ({ as: world.volunteerA, body: { serviceType: 'CLEANING', minutes: 60, scheduledFor: futureTime() } }),
    'POST /time-bank/redemptions/:id/complete': () => ({ as: world.admin, params: { id: world.redemptionA } }),
    'POST /time-bank/redemptions/:id/cancel': () => ({ as: world.volunteerA, params: { id: world.redemptionA } }),
    'POST /time-bank/gifts': () => ({ as: world.volunteerA, body: { toUserId: world.seniorA.user.id, minutes: 30, relationship: 'PARENT' } }),
    'POST /time-bank/requests': () => ({
      as: world.seniorA,
      body: { serviceType: 'MEAL_DELIVERY', wantedAt: futureTime(), durationMinutes: 60, street: '彭埠街道' },
    }),
    'POST /time-bank/requests/:id/claim': () => ({ as: world.volunteerB, params: { id: world.openRequestA } }),
    'POST /time-bank/requests/:id/complete': () => ({ as: world.volunteerA, params: { id: world.claimedRequestA }, body: {} }),
    'POST /time-bank/requests/:id/cancel': () => ({ as: world.seniorA, params: { id: world.cancellableRequestA } }),
    'POST /time-bank/requests/:id/release': () => ({ as: world.volunteerA, params: { id: world.releasableRequestA } }),
    'PUT /time-bank/volunteers/me/skills': () => ({ as: world.volunteerA, body: { skills: ['CLEANING', 'SHOPPING'] } }),
    'POST /time-bank/transfers/:id/reverse': () => ({ as: world.admin, params: { id: world.earningTransferA }, body: { reason: '录入错误' } }),
    'POST /enrolment/terms': () => ({
      as: world.admin,
      body: { name: unique('学期'), opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: futureTime(), maxCoursesPerSenior: 2, minAge: 55 },
    }),
    'POST /enrolment/courses': () => ({
      as: world.admin,
      body: {
        termId: world.termId,
        title: unique('太极'),
        campus: '杭州市上城区老年大学',
        capacity: 5,
        weekday: 3,
        startTime: '14:00',
        endTime: '15:30',
        mode: 'FIRST_COME',
      },
    }),
    'PATCH /enrolment/terms/:id': () => ({ as: world.admin, params: { id: world.termId }, body: { name: unique('学期') } }),
    'PATCH /enrolment/courses/:id': () => ({ as: world.admin, params: { id: world.courseId }, body: { title: unique('太极') } }),
    'POST /enrolment/courses/:id/draw': () => ({ as: world.admin, params: { id: world.lotteryCourseId } }),
    'POST /enrolment/courses/:id/cancel': () => ({ as: world.admin, params: { id: world.courseId }, body: { reason: '报名人数不足' } }),
    'POST /enrolment/applications': () => ({ as: world.seniorA, body: { courseId: world.lotteryCourseId } }),
    'DELETE /enrolment/applications/:ticketId': () => ({ as: world.seniorA, params: { ticketId: world.ticketA } }),
    'POST /care-centres': () => ({
      as: world.admin,
      body: { name: unique('新照料中心'), street: '湖滨街道', operatorKind: 'GOVERNMENT', status: 'OPERATING', dayCapacity: 20, sunshineKitchen: false },
    }),
    'PATCH /care-centres/:id': () => ({ as: world.admin, params: { id: world.centreA.id }, body: { sunshineKitchen: false } }),
    'POST /care-centres/:id/check-ins': () => ({ as: world.centreA.manager, params: { id: world.centreA.id }, body: { seniorId: world.seniorA.user.id } }),
    'POST /care-centres/:id/check-ins/:checkInId/withdraw': () => ({
      as: world.centreA.manager,
      params: { id: world.centreA.id, checkInId: world.checkInA },
    }),
    'POST /care-centres/:id/service-records/:recordId/withdraw': () => ({
      as: world.centreA.manager,
      params: { id: world.centreA.id, recordId: world.serviceRecordA },
    }),
    'POST /care-centres/:id/service-records': () => ({
      as: world.centreA.manager,
      params: { id: world.centreA.id },
      body: { seniorId: world.seniorA.user.id, serviceType: 'MEAL', occurredAt: new Date(Date.now() - 3_600_000).toISOString() },
    }),
  };
}
