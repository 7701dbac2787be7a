import type { TicketRow } from './enrolment.repository';
import { type RejectReason, TicketStatus } from './enrolment.types';
import type { RedisTicket } from './ticket-store';

/** A ticket as callers see it, whether decided (PostgreSQL) or only accepted (Redis). */
export interface TicketView {
  ticketId: string;
  sequence: number;
  termId: string;
  courseId: string;
  status: TicketStatus;
  reason: RejectReason | null;
  note: string | null;
  waitlistPosition: number | null;
  acceptedAt: string;
  decidedAt: string | null;
}

export function ticketViewOf(row: TicketRow): TicketView {
  return {
    ticketId: row.id,
    sequence: Number(row.sequence),
    termId: row.termId,
    courseId: row.courseId,
    status: row.status,
    reason: row.reason,
    note: row.note,
    waitlistPosition: row.waitlistPosition,
    acceptedAt: new Date(row.acceptedAt).toISOString(),
    decidedAt: new Date(row.decidedAt).toISOString(),
  };
}

/** A ticket not yet allocated: QUEUED, or CANCELLED when its owner cancelled it meanwhile. */
export function queuedViewOf(ticket: RedisTicket): TicketView {
  return {
    ticketId: ticket.ticketId,
    sequence: ticket.sequence,
    termId: ticket.termId,
    courseId: ticket.courseId,
    status: ticket.cancelRequested ? TicketStatus.CANCELLED : TicketStatus.QUEUED,
    reason: null,
    note: null,
    waitlistPosition: null,
    acceptedAt: ticket.acceptedAt,
    decidedAt: null,
  };
}
