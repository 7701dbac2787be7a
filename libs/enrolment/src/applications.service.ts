import { Inject, Injectable, type MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import {
  APP_CONFIG,
  type AppConfig,
  CommonError,
  CommonErrorCode,
  DomainError,
  hasRole,
  Permission,
  type Principal,
  RateLimiter,
  requestHash,
  requireAccess,
  Role,
  TransactionRunner,
} from '@app/platform';
import { AllocatorService } from './allocator.service';
import { CatalogueService } from './catalogue.service';
import { EnrolmentError } from './enrolment.errors';
import { EnrolmentJobs } from './enrolment.jobs';
import { newTicketId } from './enrolment.keys';
import { EnrolmentRepository } from './enrolment.repository';
import { STAFF_CANCEL_NOTE } from './enrolment.rules';
import { TicketStatus } from './enrolment.types';
import { TicketEvents } from './ticket-events';
import { TicketStore } from './ticket-store';
import { queuedViewOf, type TicketView, ticketViewOf } from './ticket.view';

/** What the accept path answers: 202 for a new ticket, 200 for the senior's existing one. */
export interface AcceptResult {
  httpStatus: 202 | 200;
  body: { ticketId: string; sequence: number; courseId: string; status: TicketStatus; position: number | null };
}

/** How long a stream waits before reading the ticket again, to cover its own subscription's set-up. */
const SSE_RECHECK_MS = 300;

/** An administrator cancelling a senior's ticket (not her own): the senior is told. */
function byStaffOf(principal: Principal, seniorId: string): boolean {
  return hasRole(principal, Role.ADMIN) && principal.id !== seniorId;
}

/**
 * Applications (tickets): the accept path (Redis only: no PostgreSQL transaction per request),
 * reads that fall back to Redis while a ticket is undecided, cancellation, and live status.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly store: TicketStore,
    private readonly jobs: EnrolmentJobs,
    private readonly repository: EnrolmentRepository,
    private readonly transactions: TransactionRunner,
    private readonly events: TicketEvents,
    private readonly limiter: RateLimiter,
    private readonly allocator: AllocatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Accepts an application: course and window from the cache, then one Redis script (one round
   * trip) counts the senior's rate limit, de-duplicates, numbers, stores and streams the ticket
   * and remembers the Idempotency-Key; a wake-up of the term's allocator follows.
   *
   * The limit is counted per senior and term inside the script (its counter shares the term's
   * Redis Cluster slot); refused requests (unknown course, closed term, cancelled course) count on
   * the senior's own counter of the rate limiter.
   */
  async apply(principal: Principal, courseId: string, idempotencyKey: string | undefined): Promise<AcceptResult> {
    const bucket = `enrolment-apply:${principal.id}`;
    const limit = this.config.enrolmentApplyPerMinute;
    const found = await this.catalogue.courseWithTerm(courseId);
    const now = new Date();
    const refusal = !found
      ? CommonError.notFound('course')
      : now < new Date(found.term.opensAt) || now >= new Date(found.term.closesAt)
        ? EnrolmentError.closed()
        : found.course.cancelledAt !== null
          ? EnrolmentError.courseCancelled()
          : null;
    if (!found || refusal) {
      // Refused requests count against the limit too (the accept script counts the others).
      const rate = await this.limiter.hit(bucket, limit, 60);
      if (!rate.allowed) throw CommonError.rateLimited(rate.retryAfterSeconds);
      throw refusal ?? CommonError.notFound('course');
    }
    const hash = requestHash({ courseId });
    const outcome = await this.store.accept({
      ticketId: newTicketId(found.term.id),
      termId: found.term.id,
      courseId,
      seniorId: principal.id,
      acceptedAt: now.toISOString(),
      idempotencyKey,
      requestHash: hash,
      rateLimit: limit,
      rateWindowSeconds: 60,
    });
    if (outcome.limited) throw CommonError.rateLimited(outcome.retryAfterSeconds);
    if (outcome.replayed && outcome.requestHash !== hash) {
      throw new DomainError('unprocessable', CommonErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was already used with a different request body.');
    }
    const reply = outcome.reply;
    if (reply.kind === 'NEW' && !outcome.replayed) this.jobs.wake(found.term.id);
    return {
      httpStatus: reply.kind === 'NEW' ? 202 : 200,
      body: { ticketId: reply.ticketId, sequence: reply.sequence, courseId, status: reply.status, position: reply.position },
    };
  }

  /** The ticket for its owner or an administrator; anyone else is told it does not exist. */
  async get(principal: Principal, ticketId: string): Promise<TicketView> {
    const row = await this.repository.ticket(this.repository.manager, ticketId);
    if (row) {
      requireAccess(principal, Permission.OwnerOrAdmin, row.seniorId, { notFound: 'ticket' });
      return ticketViewOf(row);
    }
    const queued = await this.store.ticket(ticketId);
    if (!queued) throw CommonError.notFound('ticket');
    requireAccess(principal, Permission.OwnerOrAdmin, queued.seniorId, { notFound: 'ticket' });
    // The allocator may have committed between the two reads; PostgreSQL wins when it has the row.
    const again = await this.repository.ticket(this.repository.manager, ticketId);
    return again ? ticketViewOf(again) : queuedViewOf(queued);
  }

  /** The caller's tickets, decided ones from PostgreSQL and the rest from Redis, newest first. */
  async mine(principal: Principal, limit: number, offset: number): Promise<{ items: TicketView[]; total: number }> {
    const rows = await this.repository.ticketsOfSenior(principal.id);
    const known = new Set(rows.map((r) => r.id));
    const queued: TicketView[] = [];
    for (const id of await this.store.ticketIdsOf(principal.id)) {
      if (known.has(id)) continue;
      const ticket = await this.store.ticket(id);
      if (ticket) queued.push(queuedViewOf(ticket));
    }
    const all = [...queued.sort((a, b) => b.sequence - a.sequence), ...rows.map(ticketViewOf)];
    return { items: all.slice(offset, offset + limit), total: all.length };
  }

  /**
   * Cancels a ticket. A decided one is cancelled here under the term's lock and, if it held a
   * seat, a promotion job follows; one still only in Redis is flagged and cancelled by a worker
   * job as soon as it is allocated. Cancelling twice answers the cancelled ticket again. A decided
   * ticket an administrator cancels is told to its senior and her relatives (`SEAT_CANCELLED`).
   */
  async cancel(principal: Principal, ticketId: string): Promise<TicketView> {
    const row = await this.repository.ticket(this.repository.manager, ticketId);
    if (!row) {
      const queued = await this.store.ticket(ticketId);
      if (!queued) throw CommonError.notFound('ticket');
      requireAccess(principal, Permission.OwnerOrAdmin, queued.seniorId, { notFound: 'ticket' });
      await this.store.requestCancel(ticketId, byStaffOf(principal, queued.seniorId) ? 'STAFF' : 'OWNER');
      await this.jobs.cancel(ticketId);
      return { ...queuedViewOf(queued), status: TicketStatus.CANCELLED };
    }
    requireAccess(principal, Permission.OwnerOrAdmin, row.seniorId, { notFound: 'ticket' });
    if (row.status === TicketStatus.CANCELLED) return ticketViewOf(row);
    if (row.status === TicketStatus.REJECTED) throw EnrolmentError.notCancellable(row.status);
    // Staff cancelling a senior's place tell her (and her relatives) in the same transaction.
    const byStaff = byStaffOf(principal, row.seniorId);
    const before = await this.transactions.run(async (manager) => {
      await this.repository.lockTerm(manager, row.termId, true);
      const current = await this.repository.ticket(manager, ticketId);
      if (!current) throw CommonError.notFound('ticket');
      if (current.status === TicketStatus.CANCELLED) return null;
      if (current.status === TicketStatus.REJECTED) throw EnrolmentError.notCancellable(current.status);
      await this.repository.setStatus(manager, ticketId, [TicketStatus.CONFIRMED, TicketStatus.WAITLISTED, TicketStatus.PENDING_DRAW], {
        status: TicketStatus.CANCELLED,
        reason: null,
        note: byStaff ? STAFF_CANCEL_NOTE : 'cancelled by its owner',
      });
      if (byStaff) {
        const cancelled = { ticketId, courseId: row.courseId, seniorId: row.seniorId, status: TicketStatus.CANCELLED, reason: null, told: true };
        await this.allocator.notify(manager, [cancelled], false);
      }
      return current.status;
    });
    const after = await this.repository.ticket(this.repository.manager, ticketId);
    if (!after) throw CommonError.notFound('ticket');
    if (before) {
      await this.store.afterCommit(row.termId, [{ ticketId, courseId: row.courseId, seniorId: row.seniorId, status: TicketStatus.CANCELLED, reason: null }]);
      await this.catalogue.refreshCounts(row.termId, [row.courseId]);
      await this.events.publish([ticketViewOf(after)]);
      if (before === TicketStatus.CONFIRMED) await this.jobs.promote(row.courseId, ticketId);
    }
    return ticketViewOf(after);
  }

  /**
   * Live status: the current state first, then every change heard on the event bus. The stream
   * subscribes before it reads, and reads once more shortly after, so a change that lands while
   * the subscription is being set up is not missed.
   */
  async events$(principal: Principal, ticketId: string): Promise<Observable<MessageEvent>> {
    const first = await this.get(principal, ticketId);
    return new Observable<MessageEvent>((subscriber) => {
      let last = '';
      const emit = (view: TicketView): void => {
        const key = `${view.status}|${view.waitlistPosition ?? ''}|${view.decidedAt ?? ''}`;
        if (key === last) return;
        last = key;
        subscriber.next({ type: 'status', data: view });
      };
      // The bus completes its streams when the process shuts down; the stream ends with it.
      const subscription = this.events
        .listen(ticketId)
        .subscribe({ next: emit, error: (error: unknown) => subscriber.error(error), complete: () => subscriber.complete() });
      emit(first);
      const timer = setTimeout(() => {
        this.get(principal, ticketId).then(emit, () => undefined);
      }, SSE_RECHECK_MS);
      return () => {
        clearTimeout(timer);
        subscription.unsubscribe();
      };
    });
  }

  /** A course's confirmed tickets and its waiting list, in order (administrators). */
  async roster(courseId: string): Promise<{ courseId: string; confirmed: TicketView[]; waitlisted: TicketView[] }> {
    const course = await this.repository.course(courseId);
    if (!course) throw CommonError.notFound('course');
    const rows = (await this.repository.roster(courseId)).map(ticketViewOf);
    return {
      courseId,
      confirmed: rows.filter((r) => r.status === TicketStatus.CONFIRMED),
      waitlisted: rows.filter((r) => r.status === TicketStatus.WAITLISTED),
    };
  }
}
