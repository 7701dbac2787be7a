import { createHmac } from 'node:crypto';
import { type CancelledBy, CourseMode, RejectReason, TicketStatus } from './enrolment.types';

/** The note of a ticket an administrator cancelled; its senior is told (`SEAT_CANCELLED`). */
export const STAFF_CANCEL_NOTE = 'cancelled by an administrator';

/** A course as the allocation rules see it. */
export interface SlotCourse {
  id: string;
  capacity: number;
  mode: CourseMode;
  weekday: number;
  /** "HH:MM" */
  startTime: string;
  endTime: string;
  /** A drawn lottery course is filled first come from then on. */
  drawn: boolean;
}

/** What the rules need to know about the term. */
export interface TermRules {
  maxCoursesPerSenior: number;
  minAge: number;
}

/** A senior's ticket that still holds (or may hold) a place in the term. */
export interface HeldTicket {
  ticketId: string;
  courseId: string;
  status: TicketStatus;
}

/**
 * The state a serial allocator carries from one ticket to the next: seats taken per course and
 * each senior's held tickets in the term. Deciding mutates it, exactly as serving tickets one at
 * a time would.
 */
export class AllocationState {
  readonly confirmed = new Map<string, number>();
  readonly held = new Map<string, HeldTicket[]>();

  constructor(
    readonly term: TermRules,
    readonly courses: Map<string, SlotCourse>,
  ) {
    for (const id of courses.keys()) this.confirmed.set(id, 0);
  }

  /** Records a ticket that now holds a place; a confirmed one takes a seat unless `seatCounted`. */
  add(seniorId: string, ticket: HeldTicket, seatCounted = false): void {
    const list = this.held.get(seniorId) ?? [];
    list.push(ticket);
    this.held.set(seniorId, list);
    if (ticket.status === TicketStatus.CONFIRMED && !seatCounted) this.confirmed.set(ticket.courseId, (this.confirmed.get(ticket.courseId) ?? 0) + 1);
  }

  /** Starts a course from the seats already taken in the database. */
  seats(courseId: string, confirmed: number): void {
    this.confirmed.set(courseId, confirmed);
  }

  heldBy(seniorId: string): HeldTicket[] {
    return this.held.get(seniorId) ?? [];
  }
}

export interface Decision {
  status: TicketStatus;
  reason: RejectReason | null;
  /** Set when the ticket is closed for a reason outside the contract's rejection reasons. */
  note: string | null;
}

function minutes(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/** Same weekday and intersecting hours; touching ends (10:00–11:00 and 11:00–12:00) do not clash. */
export function slotsOverlap(a: Pick<SlotCourse, 'weekday' | 'startTime' | 'endTime'>, b: Pick<SlotCourse, 'weekday' | 'startTime' | 'endTime'>): boolean {
  return a.weekday === b.weekday && minutes(a.startTime) < minutes(b.endTime) && minutes(b.startTime) < minutes(a.endTime);
}

/**
 * The eligibility rules shared by first-come allocation and the draw: under age, at the term's
 * limit (confirmed + waitlisted), or a confirmed course in an overlapping slot.
 */
export function rejection(state: AllocationState, seniorId: string, course: SlotCourse, age: number | null): RejectReason | null {
  if (age === null || age < state.term.minAge) return RejectReason.NOT_ELIGIBLE;
  const held = state.heldBy(seniorId);
  const counted = held.filter((t) => t.status === TicketStatus.CONFIRMED || t.status === TicketStatus.WAITLISTED).length;
  if (counted >= state.term.maxCoursesPerSenior) return RejectReason.TERM_LIMIT_REACHED;
  for (const ticket of held) {
    if (ticket.status !== TicketStatus.CONFIRMED) continue;
    const other = state.courses.get(ticket.courseId);
    if (other && other.id !== course.id && slotsOverlap(other, course)) return RejectReason.SCHEDULE_CLASH;
  }
  return null;
}

/** A senior's ticket that a course's cancellation closed, with the status it had. */
export interface LostPlace {
  seniorId: string;
  status: TicketStatus;
}

/** A senior's latest ticket for a course, rejected for her schedule or the term's limit. */
export interface RejectedTicket {
  ticketId: string;
  seniorId: string;
  courseId: string;
  reason: RejectReason;
}

/**
 * The rejected applications that a cancelled course makes possible again, each once: one refused
 * for a clash with the place she held in it, when no other confirmed course of hers overlaps; one
 * refused at the term's limit, when the place she lost counted towards it and she is now under
 * it. `state` holds her places after the cancellation. Age never changes, and a course cancelled
 * or held again is left out. Whether the term still takes applications is the caller's to check.
 */
export function reopenedBy(
  cancelled: SlotCourse,
  lost: LostPlace[],
  rejected: RejectedTicket[],
  state: AllocationState,
  isCancelled: (courseId: string) => boolean,
): RejectedTicket[] {
  const lostBy = new Map(lost.map((place) => [place.seniorId, place.status]));
  return rejected.filter((ticket) => {
    const had = lostBy.get(ticket.seniorId);
    const course = state.courses.get(ticket.courseId);
    if (had === undefined || !course || course.id === cancelled.id || isCancelled(course.id)) return false;
    const held = state.heldBy(ticket.seniorId);
    if (held.some((h) => h.courseId === course.id)) return false;
    const clash = held.some((h) => {
      const other = h.status === TicketStatus.CONFIRMED ? state.courses.get(h.courseId) : undefined;
      return other !== undefined && slotsOverlap(other, course);
    });
    if (clash) return false;
    if (ticket.reason === RejectReason.SCHEDULE_CLASH) return had === TicketStatus.CONFIRMED && slotsOverlap(cancelled, course);
    if (ticket.reason === RejectReason.TERM_LIMIT_REACHED) {
      const counted = held.filter((h) => h.status === TicketStatus.CONFIRMED || h.status === TicketStatus.WAITLISTED).length;
      return (had === TicketStatus.CONFIRMED || had === TicketStatus.WAITLISTED) && counted < state.term.maxCoursesPerSenior;
    }
    return false;
  });
}

/** Seats first, then the waiting list, once a ticket is eligible. */
export function seatOrWaitlist(state: AllocationState, course: SlotCourse): TicketStatus {
  return (state.confirmed.get(course.id) ?? 0) < course.capacity ? TicketStatus.CONFIRMED : TicketStatus.WAITLISTED;
}

/**
 * Decides one accepted ticket exactly as a serial replay in sequence order would, and records the
 * outcome in `state`. A ticket for a course the senior already holds (possible only if Redis lost
 * its de-duplication key) is closed as a duplicate rather than given a second place.
 */
export function decideTicket(
  state: AllocationState,
  ticket: { ticketId: string; courseId: string; seniorId: string; cancelRequested: CancelledBy | null },
  age: number | null,
): Decision {
  const course = state.courses.get(ticket.courseId);
  if (!course) throw new Error(`ticket ${ticket.ticketId} names a course outside its term`);
  if (ticket.cancelRequested === 'STAFF') return { status: TicketStatus.CANCELLED, reason: null, note: STAFF_CANCEL_NOTE };
  if (ticket.cancelRequested) return { status: TicketStatus.CANCELLED, reason: null, note: 'cancelled before allocation' };
  if (state.heldBy(ticket.seniorId).some((t) => t.courseId === course.id)) {
    return { status: TicketStatus.CANCELLED, reason: null, note: 'duplicate of an active ticket for this course' };
  }
  let decision: Decision;
  if (course.mode === CourseMode.LOTTERY && !course.drawn) {
    decision = { status: TicketStatus.PENDING_DRAW, reason: null, note: null };
  } else {
    const reason = rejection(state, ticket.seniorId, course, age);
    decision = reason ? { status: TicketStatus.REJECTED, reason, note: null } : { status: seatOrWaitlist(state, course), reason: null, note: null };
  }
  if (decision.status !== TicketStatus.REJECTED) state.add(ticket.seniorId, { ticketId: ticket.ticketId, courseId: course.id, status: decision.status });
  return decision;
}

/** The lottery's order: ticket ids by HMAC-SHA256(seed bytes, id) in ascending hex. */
export function drawOrder(seedHex: string, ticketIds: string[]): string[] {
  const key = Buffer.from(seedHex, 'hex');
  return ticketIds
    .map((id) => ({ id, mac: createHmac('sha256', key).update(id, 'utf8').digest('hex') }))
    .sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0))
    .map((entry) => entry.id);
}
