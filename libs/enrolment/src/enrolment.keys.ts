import { randomUUID } from 'node:crypto';
import type { AcceptInput } from './enrolment.scripts';

/**
 * Enrolment's Redis key schema, in one place, so standalone Redis and Redis Cluster run the same
 * code. A Redis Cluster runs a script or a MULTI only when all its keys hash to one slot, and
 * hashes only the text between the first `{` and `}` of a key (its hash tag) when there is one.
 *
 * Everything of one term shares the tag `{term:<first eight hex digits of the term id>}`: its
 * sequence, stream, decided mirror, counts, the de-duplication ("active") records, the seniors'
 * ticket sets, rate-limit counters and idempotency records, and the ticket hashes. A ticket id
 * leads to its term's slot because every ticket id of a term begins with the same eight hex digits
 * as the term id (`newTicketId`), so a ticket is found by id alone, and the accept script declares
 * the new ticket's hash as a key. Two terms whose ids begin alike share a slot, which is harmless:
 * the rest of every key names the term in full.
 *
 * One key lives outside every term: the set of terms with a stream, read by the sweep.
 */

const HEX8 = /^[0-9a-f]{8}$/;

/** The hash tag shared by every key of a term, and of its tickets. */
export function termTag(termOrTicketId: string): string {
  const head = termOrTicketId.slice(0, 8).toLowerCase();
  // An id that is not a UUID (it cannot come from the database) still gets a key of its own.
  return `{term:${HEX8.test(head) ? head : 'x'}}`;
}

/** A random (version 4) UUID for a new ticket of the term, beginning with the term id's first eight hex digits. */
export function newTicketId(termId: string): string {
  return `${termId.slice(0, 8).toLowerCase()}${randomUUID().slice(8)}`;
}

/** The keys of enrolment under one prefix (the configured `QUEUE_PREFIX`). */
export class EnrolmentKeys {
  constructor(readonly prefix: string) {}

  private base(termOrTicketId: string): string {
    return `${this.prefix}:enrolment:${termTag(termOrTicketId)}`;
  }

  /** The start of every key of one term. */
  private term(termId: string): string {
    return `${this.base(termId)}:term:${termId}`;
  }

  /** Pattern that matches every ticket hash in a term's slot (for the restore reconciliation's SCAN). */
  ticketPattern(termId: string): string {
    return `${this.base(termId)}:ticket:*`;
  }

  ticket(ticketId: string): string {
    return `${this.base(ticketId)}:ticket:${ticketId}`;
  }

  active(termId: string, courseId: string, seniorId: string): string {
    return `${this.term(termId)}:active:${courseId}:${seniorId}`;
  }

  sequence(termId: string): string {
    return `${this.term(termId)}:seq`;
  }

  stream(termId: string): string {
    return `${this.term(termId)}:stream`;
  }

  decided(termId: string): string {
    return `${this.term(termId)}:decided`;
  }

  /** Course counts as `confirmed,waitlisted,inDraw`; the key was `:counts` when values had two fields. */
  counts(termId: string): string {
    return `${this.term(termId)}:course-counts`;
  }

  seniorTickets(termId: string, seniorId: string): string {
    return `${this.term(termId)}:senior:${seniorId}:tickets`;
  }

  rate(termId: string, seniorId: string): string {
    return `${this.term(termId)}:rate:${seniorId}`;
  }

  /**
   * The idempotency record of a senior's Idempotency-Key in the term, or, without a key, a
   * placeholder in the term's slot that the accept script declares and never touches.
   */
  idempotency(termId: string, seniorId: string, idempotencyKey: string | undefined): string {
    return `${this.term(termId)}:idempotency:${idempotencyKey ? `${seniorId}:${idempotencyKey}` : 'none'}`;
  }

  /** The one key outside the terms' slots: the set of terms that have a stream. */
  terms(): string {
    return `${this.prefix}:enrolment:terms`;
  }

  /** KEYS of the accept script (lua/accept.lua), in order. */
  acceptKeys(input: Pick<AcceptInput, 'ticketId' | 'termId' | 'courseId' | 'seniorId' | 'idempotencyKey'>): string[] {
    return [
      this.active(input.termId, input.courseId, input.seniorId),
      this.sequence(input.termId),
      this.stream(input.termId),
      this.idempotency(input.termId, input.seniorId, input.idempotencyKey),
      this.decided(input.termId),
      this.seniorTickets(input.termId, input.seniorId),
      this.rate(input.termId, input.seniorId),
      this.ticket(input.ticketId),
    ];
  }

  /** KEYS of the mirror script (lua/mirror.lua), in order. */
  mirrorKeys(termId: string, outcome: { ticketId: string; courseId: string; seniorId: string }): string[] {
    return [this.ticket(outcome.ticketId), this.active(termId, outcome.courseId, outcome.seniorId)];
  }
}
