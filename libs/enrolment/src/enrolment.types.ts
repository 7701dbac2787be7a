/** How a course fills its seats. */
export enum CourseMode {
  FIRST_COME = 'FIRST_COME',
  LOTTERY = 'LOTTERY',
}

/** A ticket's life: QUEUED while only accepted, then an outcome (docs/api.md, "Enrolment"). */
export enum TicketStatus {
  QUEUED = 'QUEUED',
  CONFIRMED = 'CONFIRMED',
  WAITLISTED = 'WAITLISTED',
  REJECTED = 'REJECTED',
  PENDING_DRAW = 'PENDING_DRAW',
  CANCELLED = 'CANCELLED',
}

/**
 * Who asked to cancel a ticket still only in Redis: its senior (or one acting for her, as she
 * asks), or an administrator, whose cancellation she is told of.
 */
export type CancelledBy = 'OWNER' | 'STAFF';

/** Why a ticket was refused a seat. */
export enum RejectReason {
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  TERM_LIMIT_REACHED = 'TERM_LIMIT_REACHED',
  SCHEDULE_CLASH = 'SCHEDULE_CLASH',
}

/** How a course's places stand: confirmed, waitlisted, and (a lottery before its draw) in the draw. */
export interface CourseCounts {
  confirmedCount: number;
  waitlistCount: number;
  pendingDrawCount: number;
}

/** Statuses that hold a place: they count for the one-active-ticket rule. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = [TicketStatus.QUEUED, TicketStatus.CONFIRMED, TicketStatus.WAITLISTED, TicketStatus.PENDING_DRAW];

/** Words published with every draw; anyone can recompute the order from them. */
export const DRAW_ALGORITHM =
  "order = the ticket ids (lowercase UUID text) of the course's PENDING_DRAW tickets, sorted ascending by " +
  'the lowercase hex of HMAC-SHA256(key = the 32 bytes of the hex seed, message = the UTF-8 ticket id); ' +
  'then, in that order, a ticket whose account was removed is cancelled and each other ticket is ' +
  'checked for age, term limit and schedule clash; the first ' +
  '`capacity` eligible tickets are CONFIRMED and the other eligible ones WAITLISTED in draw order.';
