/**
 * The reviewed access policy of every route the API serves: who may call it. The role matrix
 * test compares this table with the router in both directions, so a new route, a removed route
 * or a changed role list fails the build until this table is updated (and reviewed).
 *
 * `PUBLIC` routes need no token. A role list names every role that may call the route; the
 * service may still narrow it to the caller's own records or facilities (see route-scopes.ts).
 */
import type { Role } from '@app/platform';

export type RoutePolicy = 'PUBLIC' | readonly Role[];

const ANY: readonly Role[] = ['ADMIN', 'MANAGER', 'VOLUNTEER', 'SENIOR', 'COUNTER', 'FAMILY'];
const COUNTER: readonly Role[] = ['COUNTER', 'ADMIN'];
const BEDS: readonly Role[] = ['ADMIN', 'MANAGER'];

export const ROUTE_POLICY: Readonly<Record<string, RoutePolicy>> = {
  // Service endpoints
  'GET /health/live': 'PUBLIC',
  'GET /health/ready': 'PUBLIC',
  'GET /metrics': 'PUBLIC',

  // Identity
  'POST /auth/login': 'PUBLIC',
  'POST /auth/register': 'PUBLIC',
  'GET /me': ANY,
  'POST /me/password': ANY,
  'DELETE /me/volunteer': ['VOLUNTEER'],
  'POST /me/close': ['VOLUNTEER', 'FAMILY'],
  'POST /users': ['ADMIN'],
  'GET /users': ['ADMIN'],
  'POST /users/:id/password-reset': ['ADMIN'],
  'PUT /users/:id/roles': ['ADMIN'],
  'DELETE /users/:id': ['ADMIN'],
  'GET /users/removed': ['ADMIN'],
  'GET /users/removed/:id': ['ADMIN'],
  'POST /users/:id/restore': ['ADMIN'],
  'POST /auth/reset-password': 'PUBLIC',

  // Finding people, the service counter and family
  'GET /people': ['ADMIN', 'MANAGER', 'COUNTER'],
  'GET /people/recipient': ['VOLUNTEER', 'SENIOR', 'FAMILY'],
  'GET /people/acted-for': ['ADMIN'],
  'GET /people/:id': COUNTER,
  'GET /people/:id/family-links': COUNTER,
  'PUT /people/:id/id-card': ['ADMIN'],
  'GET /people/:id/id-card-corrections': ['ADMIN'],
  'POST /people/:id/volunteer': COUNTER,
  'DELETE /people/:id/volunteer': COUNTER,
  'POST /people/:id/password-reset': COUNTER,
  'POST /seniors': COUNTER,
  'GET /seniors/:id': COUNTER,
  'GET /seniors/:id/card': COUNTER,
  'POST /seniors/:id/password-reset': COUNTER,
  'POST /seniors/:id/volunteer': COUNTER,
  'DELETE /seniors/:id/volunteer': COUNTER,
  'POST /family-links': ['SENIOR', 'COUNTER', 'ADMIN'],
  'GET /family-links': ANY,
  'DELETE /family-links/:id': ANY,
  'GET /me/acted-for': ['SENIOR'],

  // Notifications: everyone has an inbox; the service reads only the caller's own
  'GET /me/notifications': ANY,
  'GET /me/notifications/events': ANY,
  'POST /me/notifications/:id/read': ANY,
  'GET /me/preferences': ANY,
  'PATCH /me/preferences': ANY,

  // Facilities, beds, residents: managers and administrators only, never seniors or volunteers
  'GET /facilities': 'PUBLIC',
  'POST /facilities': ['ADMIN'],
  'POST /facilities/:id/beds': BEDS,
  'GET /facilities/:id/beds': BEDS,
  'GET /facilities/:id/occupancy': BEDS,
  'GET /facilities/:id/board': BEDS,
  'GET /facilities/:id/bed-events': BEDS,
  'POST /facilities/:id/waitlist': BEDS,
  'GET /facilities/:id/waitlist': BEDS,
  'GET /facilities/:id/residents': BEDS,
  'POST /facilities/:id/waitlist/:entryId/withdraw': BEDS,
  'GET /beds/:id': BEDS,
  'GET /beds/:id/history': BEDS,
  'POST /beds/:id/hold': BEDS,
  'POST /beds/:id/release': BEDS,
  'POST /beds/:id/admit': BEDS,
  'POST /beds/:id/discharge': BEDS,
  'POST /beds/:id/transfer': BEDS,
  'POST /beds/:id/cleaned': BEDS,
  'POST /beds/:id/maintenance': BEDS,
  'POST /beds/:id/reopen': BEDS,
  'POST /beds/:id/leave': BEDS,
  'POST /beds/:id/return': BEDS,
  'POST /residents': BEDS,
  'GET /residents/:id': BEDS,
  // A senior's own bed: she, or whoever may act for her (`seniorId`).
  'GET /me/residence': ['SENIOR'],

  // Time bank
  'GET /time-bank/accounts/me': ['VOLUNTEER', 'SENIOR'],
  'GET /time-bank/accounts/me/entries': ['VOLUNTEER', 'SENIOR'],
  'GET /time-bank/accounts/:id': ['ADMIN', 'VOLUNTEER', 'SENIOR'],
  'GET /time-bank/accounts/:id/entries': ['ADMIN', 'VOLUNTEER', 'SENIOR'],
  'GET /time-bank/accounts/:userId/statement': ['ADMIN', 'VOLUNTEER', 'SENIOR'],
  'POST /time-bank/services': ['VOLUNTEER'],
  'GET /time-bank/services/awaiting-me': ANY,
  'GET /time-bank/services/logged-by-me': ['VOLUNTEER'],
  'GET /time-bank/services/:id': ANY,
  'POST /time-bank/services/:id/confirm': ANY,
  'POST /time-bank/services/:id/reject': ANY,
  'GET /time-bank/services/under-review': ['MANAGER', 'ADMIN'],
  'GET /time-bank/services/awaiting-elders': ['MANAGER', 'ADMIN'],
  'POST /time-bank/services/:id/review-request': ['VOLUNTEER'],
  'POST /time-bank/services/:id/review-decision': ['MANAGER', 'ADMIN'],
  'POST /time-bank/redemptions': ['VOLUNTEER', 'SENIOR'],
  'GET /time-bank/redemptions/mine': ['VOLUNTEER', 'SENIOR'],
  'GET /time-bank/redemptions/to-deliver': ['MANAGER', 'ADMIN'],
  'GET /time-bank/redemptions/:id': ANY,
  'POST /time-bank/redemptions/:id/complete': ['ADMIN', 'MANAGER'],
  'POST /time-bank/redemptions/:id/cancel': ANY,
  'POST /time-bank/gifts': ['VOLUNTEER', 'SENIOR'],
  'POST /time-bank/requests': ['SENIOR'],
  'GET /time-bank/requests': ['VOLUNTEER'],
  'GET /time-bank/requests/mine': ['SENIOR'],
  'GET /time-bank/requests/:id': ANY,
  'POST /time-bank/requests/:id/claim': ['VOLUNTEER'],
  'POST /time-bank/requests/:id/cancel': ['ADMIN', 'MANAGER', 'SENIOR'],
  'POST /time-bank/requests/:id/release': ['VOLUNTEER'],
  'POST /time-bank/requests/:id/complete': ['VOLUNTEER'],
  'GET /time-bank/volunteers/me/skills': ['VOLUNTEER'],
  'PUT /time-bank/volunteers/me/skills': ['VOLUNTEER'],
  'POST /time-bank/transfers/:id/reverse': ['ADMIN'],
  'GET /time-bank/audit': ['ADMIN'],

  // Enrolment
  'POST /enrolment/terms': ['ADMIN'],
  'GET /enrolment/terms': 'PUBLIC',
  'POST /enrolment/courses': ['ADMIN'],
  'GET /enrolment/courses': 'PUBLIC',
  'PATCH /enrolment/terms/:id': ['ADMIN'],
  'PATCH /enrolment/courses/:id': ['ADMIN'],
  'POST /enrolment/courses/:id/draw': ['ADMIN'],
  'POST /enrolment/courses/:id/cancel': ['ADMIN'],
  'GET /enrolment/courses/:id/draw': 'PUBLIC',
  'GET /enrolment/courses/:id/roster': ['ADMIN'],
  'POST /enrolment/applications': ['SENIOR'],
  'GET /enrolment/applications': ['SENIOR'],
  'GET /enrolment/applications/:ticketId': ANY,
  'GET /enrolment/applications/:ticketId/events': ANY,
  'DELETE /enrolment/applications/:ticketId': ANY,

  // Care centres
  'GET /care-centres': 'PUBLIC',
  'GET /care-centres/kpis': ['ADMIN'],
  'GET /care-centres/withdrawals': ['ADMIN'],

  // Reports
  'GET /reports/district': ['ADMIN'],
  'GET /care-centres/:id': 'PUBLIC',
  'POST /care-centres': ['ADMIN'],
  'PATCH /care-centres/:id': ['ADMIN'],
  'POST /care-centres/:id/check-ins': ['MANAGER'],
  'POST /care-centres/:id/check-ins/:checkInId/withdraw': ['MANAGER'],
  'POST /care-centres/:id/service-records': ['MANAGER'],
  'GET /care-centres/:id/service-records': ['ADMIN', 'MANAGER'],
  'POST /care-centres/:id/service-records/:recordId/withdraw': ['MANAGER'],
  'GET /care-centres/:id/attendance': ['ADMIN', 'MANAGER'],
  'GET /care-centres/:id/withdrawals': ['ADMIN', 'MANAGER'],
};
