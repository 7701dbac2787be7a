import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ageOn, CommonError, type TransactionContext, TransactionRunner, violatedConstraint } from '@app/platform';
import { AccountRemovals, UsersService } from '@app/identity';
import { NotificationKind, NotificationOutbox } from '@app/notifications';
import { CatalogueService } from './catalogue.service';
import { type CourseChanges, type CourseRow, EnrolmentRepository, type NewTicketRow, type TermRow } from './enrolment.repository';
import { EnrolmentError } from './enrolment.errors';
import {
  AllocationState,
  type Decision,
  decideTicket,
  drawOrder,
  type LostPlace,
  rejection,
  reopenedBy,
  seatOrWaitlist,
  type SlotCourse,
  slotsOverlap,
  STAFF_CANCEL_NOTE,
} from './enrolment.rules';
import { DRAW_ALGORITHM, RejectReason, TicketStatus } from './enrolment.types';
import { TicketEvents } from './ticket-events';
import { TicketStore } from './ticket-store';
import { ticketViewOf } from './ticket.view';

/** A ticket of a senior whose account was removed: it holds nothing, whatever the rules would give it. */
const ACCOUNT_REMOVED: Decision = { status: TicketStatus.CANCELLED, reason: null, note: 'cancelled as the account was removed' };

/**
 * A ticket accepted outside its term's window as the term stands now. Only a process holding an
 * older copy of the term can accept one: another API process within its cache's few seconds of a
 * changed opening or closing. The senior was told it was accepted; it never counted.
 */
const OUTSIDE_WINDOW: Decision = { status: TicketStatus.CANCELLED, reason: null, note: 'accepted outside the enrolment window' };

/** A ticket of a cancelled course: given up, and its senior told, whatever the rules would give it. */
const COURSE_CANCELLED: Decision = { status: TicketStatus.CANCELLED, reason: null, note: 'cancelled as the course was cancelled' };

function outsideWindow(term: TermRow, acceptedAt: string): boolean {
  const at = new Date(acceptedAt).getTime();
  return at < new Date(term.opensAt).getTime() || at >= new Date(term.closesAt).getTime();
}

/** Tickets decided per transaction: large enough to drain fast, small enough to hold the lock briefly. */
export const ALLOCATION_BATCH = 200;

/** A committed change of ticket outcomes, to be mirrored into Redis and published. */
export interface Outcome {
  ticketId: string;
  courseId: string;
  seniorId: string;
  status: TicketStatus;
  reason: RejectReason | null;
  /** A cancellation its owner did not ask for: she (and her relatives) are told (`SEAT_CANCELLED`). */
  told?: boolean;
}

/** What one transaction decided, mirrored and published once it committed. */
interface Effects {
  termId: string;
  outcomes: Outcome[];
  checkpoint?: number;
  courseIds: Set<string>;
}

function slotOf(course: CourseRow): SlotCourse {
  return {
    id: course.id,
    capacity: course.capacity,
    mode: course.mode,
    weekday: course.weekday,
    startTime: course.startTime,
    endTime: course.endTime,
    drawn: course.drawn,
  };
}

/**
 * The allocator. Every change of seats in a term happens in a transaction holding the term's
 * advisory lock, so there is one logical allocator per term whatever the number of workers or
 * their concurrency: first-come allocation reads the next stream entries after the checkpoint,
 * decides them in sequence order as a serial replay would, inserts them and moves the checkpoint
 * in one commit; promotion, cancellation of not-yet-allocated tickets and lottery draws take
 * the same lock. Redis mirrors, counts and events follow each commit.
 */
@Injectable()
export class AllocatorService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AllocatorService.name);

  /**
   * Set when the program begins to stop (before the BullMQ workers wait for their active jobs):
   * a drain then ends after the batch in hand, so a worker stopped during a large backlog exits
   * within its deadline and the rest is decided by another worker's next wake-up or sweep.
   */
  private stopping = false;

  constructor(
    private readonly repository: EnrolmentRepository,
    private readonly transactions: TransactionRunner,
    private readonly store: TicketStore,
    private readonly users: UsersService,
    private readonly catalogue: CatalogueService,
    private readonly events: TicketEvents,
    private readonly notifications: NotificationOutbox,
    private readonly accountRemovals: AccountRemovals,
  ) {}

  onModuleInit(): void {
    this.accountRemovals.use((manager, userId, _removedBy, tx) => this.releaseRemoved(manager, tx, userId));
  }

  /**
   * Decides every pending ticket of the term, batch by batch, until the stream is drained. When
   * another allocator holds the term it returns at once: that one loops until drained too.
   */
  async drain(termId: string): Promise<number> {
    let decided = 0;
    while (!this.stopping) {
      const batch = await this.transactions.run(async (manager, tx) => {
        if (!(await this.repository.lockTerm(manager, termId, false))) return null;
        return this.followCommit(tx, await this.allocateBatch(manager, termId)).outcomes.length;
      });
      if (batch === null) return decided;
      decided += batch;
      if (batch < ALLOCATION_BATCH) return decided;
    }
    if (decided > 0) this.logger.log({ msg: 'stopping: left the rest of the backlog to the next worker', termId, decided });
    return decided;
  }

  onModuleDestroy(): void {
    this.stopping = true;
  }

  /** True when the term has accepted tickets that are not yet decided (Redis sequence against the checkpoint). */
  async hasPending(termId: string): Promise<boolean> {
    const last = await this.store.lastSequence(termId);
    if (last === 0) return false;
    return last > (await this.repository.lastCheckpoint(termId));
  }

  /** One batch under the held lock: read after the checkpoint, decide, insert, move the checkpoint. */
  private async allocateBatch(manager: EntityManager, termId: string): Promise<Effects> {
    const checkpoint = await this.repository.checkpoint(manager, termId);
    const entries = await this.store.readAfter(termId, checkpoint, ALLOCATION_BATCH);
    const effects: Effects = { termId, outcomes: [], courseIds: new Set() };
    if (entries.length === 0) return effects;
    const term = await this.repository.term(manager, termId);
    if (!term) throw new Error(`stream of unknown term ${termId}`);
    const { state, cancelledCourses } = await this.stateFor(manager, term, [...new Set(entries.map((e) => e.seniorId))]);
    const seniors = await this.users.birthDatesOf([...new Set(entries.map((e) => e.seniorId))]);
    const cancelled = await this.store.cancelRequestedOf(entries.map((e) => e.ticketId));
    const rows: NewTicketRow[] = [];
    for (const entry of entries) {
      const senior = seniors.get(entry.seniorId);
      const age = senior?.birthDate ? ageOn(senior.birthDate, new Date(entry.acceptedAt)) : null;
      // Read after the term's lock was taken: a removal, a change of the term or a course
      // cancelled that committed before it is seen here. One its owner cancelled is hers.
      const requested = cancelled.get(entry.ticketId);
      const decision = senior?.removed
        ? ACCOUNT_REMOVED
        : !requested && outsideWindow(term, entry.acceptedAt)
          ? OUTSIDE_WINDOW
          : !requested && cancelledCourses.has(entry.courseId)
            ? COURSE_CANCELLED
            : decideTicket(state, { ...entry, cancelRequested: requested ?? null }, age);
      rows.push({ ...entry, id: entry.ticketId, status: decision.status, reason: decision.reason, note: decision.note, drawRank: null });
      effects.outcomes.push({
        ticketId: entry.ticketId,
        courseId: entry.courseId,
        seniorId: entry.seniorId,
        status: decision.status,
        reason: decision.reason,
        told: decision === OUTSIDE_WINDOW || decision === COURSE_CANCELLED || decision.note === STAFF_CANCEL_NOTE,
      });
      effects.courseIds.add(entry.courseId);
    }
    await this.repository.insertTickets(manager, rows);
    await this.notify(manager, effects.outcomes, false);
    const last = entries[entries.length - 1]?.sequence ?? checkpoint;
    await this.repository.moveCheckpoint(manager, termId, last);
    effects.checkpoint = last;
    return effects;
  }

  /** Seats taken per course and the held tickets of these seniors, as committed; and the term's cancelled courses. */
  private async stateFor(
    manager: EntityManager,
    term: TermRow,
    seniorIds: string[],
  ): Promise<{ state: AllocationState; cancelledCourses: Set<string>; courses: CourseRow[] }> {
    const courses = await this.repository.coursesOfTerm(manager, term.id);
    const state = new AllocationState(term, new Map(courses.map((c) => [c.id, slotOf(c)])));
    for (const course of courses) state.seats(course.id, course.confirmedCount);
    for (const held of await this.repository.heldTickets(manager, term.id, seniorIds)) {
      state.add(held.seniorId, { ticketId: held.id, courseId: held.courseId, status: held.status }, true);
    }
    return { state, cancelledCourses: new Set(courses.filter((c) => c.cancelledAt !== null).map((c) => c.id)), courses };
  }

  /**
   * Gives up, in the transaction that removes a senior's account, every place she holds or waits
   * for: her confirmed, waitlisted and in-draw tickets are cancelled under each term's lock, and
   * each seat she held goes at once to the next on its waiting list (told, as any promotion).
   * Redis, the counts and the live pages follow the commit. The terms are locked in one order,
   * those of her tickets still only in Redis included, so an allocation that decided one of them
   * has committed before her tickets are read here, and one that runs after the removal commits
   * finds the account removed (`allocateBatch`). Restoring the account gives nothing back.
   */
  async releaseRemoved(manager: EntityManager, tx: TransactionContext, seniorId: string): Promise<void> {
    const terms = new Set([...(await this.repository.termsHeldBy(manager, seniorId)), ...(await this.store.termsOfSenior(seniorId))]);
    for (const termId of [...terms].sort()) {
      await this.repository.lockTerm(manager, termId, true);
      const result: Effects = { termId, outcomes: [], courseIds: new Set() };
      this.followCommit(tx, result);
      const freed: string[] = [];
      for (const ticket of await this.repository.heldTickets(manager, termId, [seniorId])) {
        const { status, reason, note } = ACCOUNT_REMOVED;
        if (!(await this.repository.setStatus(manager, ticket.id, [ticket.status], { status, reason, note }))) continue;
        result.outcomes.push({ ticketId: ticket.id, courseId: ticket.courseId, seniorId, status, reason });
        result.courseIds.add(ticket.courseId);
        if (ticket.status === TicketStatus.CONFIRMED) freed.push(ticket.courseId);
      }
      for (const courseId of freed) await this.promoteLocked(manager, courseId, result);
    }
  }

  /**
   * Gives the course's free seats to its waiting list in order, each senior only if still free of
   * a clash with a confirmed course (term limit and age cannot have changed against them). A
   * skipped senior's ticket is REJECTED with SCHEDULE_CLASH and a note, so the reason stays.
   */
  async promote(courseId: string): Promise<number> {
    const course = await this.repository.course(courseId);
    if (!course) return 0;
    const effects = await this.transactions.run(async (manager, tx) => {
      await this.repository.lockTerm(manager, course.termId, true);
      const result: Effects = { termId: course.termId, outcomes: [], courseIds: new Set([courseId]) };
      await this.promoteLocked(manager, courseId, result);
      return this.followCommit(tx, result);
    });
    return effects.outcomes.filter((o) => o.status === TicketStatus.CONFIRMED).length;
  }

  /**
   * An administrator changes a course's title, campus or capacity, under its term's lock so that
   * no allocation decides against a capacity about to change. The capacity never goes below the
   * seats taken (409 `CAPACITY_BELOW_CONFIRMED`; `ck_enrolment_courses_confirmed` holds it in
   * the database too); raised, the new seats go at once to the waiting list in its order, in the
   * same transaction, each senior told as for any promotion. Slot and mode stay: the tickets
   * already decided were decided by them.
   */
  async changeCourse(courseId: string, changes: CourseChanges): Promise<CourseRow> {
    const course = await this.repository.course(courseId);
    if (!course) throw CommonError.notFound('course');
    try {
      return await this.transactions.run(async (manager, tx) => {
        await this.repository.lockTerm(manager, course.termId, true);
        const [current] = await this.repository.courses(manager, [courseId]);
        if (!current) throw CommonError.notFound('course');
        if (current.cancelledAt !== null) throw EnrolmentError.courseCancelled();
        if (changes.capacity !== undefined && changes.capacity < current.confirmedCount) throw EnrolmentError.capacityBelowConfirmed(current.confirmedCount);
        await this.repository.changeCourse(manager, courseId, changes);
        const result: Effects = { termId: course.termId, outcomes: [], courseIds: new Set([courseId]) };
        this.followCommit(tx, result);
        if (changes.capacity !== undefined && changes.capacity > current.capacity) await this.promoteLocked(manager, courseId, result);
        const [changed] = await this.repository.courses(manager, [courseId]);
        if (changed && changed.campus !== current.campus) await this.tellMoved(manager, changed);
        return changed ?? current;
      });
    } catch (error) {
      if (violatedConstraint(error) === 'ck_enrolment_courses_confirmed') throw EnrolmentError.capacityBelowConfirmed(course.confirmedCount);
      throw error;
    }
  }

  /**
   * Tells every senior holding or waiting for a place in a course that moved to another campus,
   * and her relatives, where it now meets (`COURSE_MOVED`), in the transaction that moved it. A
   * ticket still only in Redis is told its outcome with the course as it is by then. Each move is
   * its own event: moved back later, she is told again.
   */
  private async tellMoved(manager: EntityManager, course: CourseRow): Promise<void> {
    const movedAt = Date.now();
    const tickets = await this.repository.liveTicketsOfCourse(manager, course.id);
    await this.notifications.record(
      manager,
      tickets.map((ticket) => ({
        kind: NotificationKind.COURSE_MOVED,
        eventKey: `course-moved:${ticket.id}:${movedAt}`,
        to: { userId: ticket.seniorId },
        params: { course: course.title, campus: course.campus },
        link: `/applications/${ticket.id}`,
        familyLink: '/family',
      })),
    );
  }

  /**
   * An administrator cancels a course (停开), under its term's lock: every ticket of it that holds
   * or waits for a place is cancelled ("cancelled as the course was cancelled"), each senior and
   * her relatives told (`SEAT_CANCELLED`), then the course is marked, with who and why, in the same
   * transaction. A ticket for it still only in Redis is cancelled the same way when it is
   * allocated. Cancelling again changes nothing and answers the course as it is.
   */
  async cancelCourse(courseId: string, cancelledBy: string, reason: string): Promise<CourseRow> {
    const course = await this.repository.course(courseId);
    if (!course) throw CommonError.notFound('course');
    return this.transactions.run(async (manager, tx) => {
      await this.repository.lockTerm(manager, course.termId, true);
      const [current] = await this.repository.courses(manager, [courseId]);
      if (!current) throw CommonError.notFound('course');
      if (current.cancelledAt !== null) return current;
      const result: Effects = { termId: course.termId, outcomes: [], courseIds: new Set([courseId]) };
      this.followCommit(tx, result);
      const { status, reason: none, note } = COURSE_CANCELLED;
      const lost: LostPlace[] = [];
      for (const ticket of await this.repository.liveTicketsOfCourse(manager, courseId)) {
        if (!(await this.repository.setStatus(manager, ticket.id, [ticket.status], { status, reason: none, note }))) continue;
        result.outcomes.push({ ticketId: ticket.id, courseId, seniorId: ticket.seniorId, status, reason: none, told: true });
        lost.push({ seniorId: ticket.seniorId, status: ticket.status });
      }
      await this.repository.cancelCourse(manager, courseId, cancelledBy, reason);
      await this.notify(manager, result.outcomes, false);
      await this.tellReopened(manager, current, lost);
      const [cancelled] = await this.repository.courses(manager, [courseId]);
      return cancelled ?? current;
    });
  }

  /**
   * Tells each senior who lost a place in a cancelled course which of her refused applications
   * that place had caused (a clash with it, or the term's limit it counted towards) she may now
   * make again (`MAY_REAPPLY`), while the term still takes applications: in the cancellation's
   * transaction, once per refused ticket and cancelled course. Nothing is applied for her.
   */
  private async tellReopened(manager: EntityManager, cancelled: CourseRow, lost: LostPlace[]): Promise<void> {
    if (lost.length === 0) return;
    const term = await this.repository.term(manager, cancelled.termId);
    if (!term || term.closesAt.getTime() <= Date.now()) return;
    const seniorIds = [...new Set(lost.map((place) => place.seniorId))];
    const refused = await this.repository.refusedForPlaces(manager, term.id, seniorIds);
    if (refused.length === 0) return;
    const { state, cancelledCourses, courses } = await this.stateFor(manager, term, seniorIds);
    const reopened = reopenedBy(slotOf(cancelled), lost, refused, state, (id) => cancelledCourses.has(id));
    const titles = new Map(courses.map((c) => [c.id, c.title]));
    await this.notifications.record(
      manager,
      reopened.map((ticket) => ({
        kind: NotificationKind.MAY_REAPPLY,
        eventKey: `reapply:${ticket.ticketId}:${cancelled.id}`,
        to: { userId: ticket.seniorId },
        params: { course: titles.get(ticket.courseId) ?? '' },
        link: `/courses/${ticket.courseId}/apply`,
        familyLink: '/family',
      })),
    );
  }

  private async promoteLocked(manager: EntityManager, courseId: string, effects: Effects): Promise<void> {
    const [course] = await this.repository.courses(manager, [courseId]);
    if (!course || course.cancelledAt !== null) return;
    let free = course.capacity - course.confirmedCount;
    if (free <= 0) return;
    const decidedBefore = effects.outcomes.length;
    const courses = new Map((await this.repository.coursesOfTerm(manager, course.termId)).map((c) => [c.id, c]));
    for (const waiting of await this.repository.waitlist(manager, courseId)) {
      if (free <= 0) break;
      const held = await this.repository.heldTickets(manager, course.termId, [waiting.seniorId]);
      const clash = held.some((t) => {
        const other = courses.get(t.courseId);
        return t.status === TicketStatus.CONFIRMED && other !== undefined && other.id !== courseId && slotsOverlap(other, course);
      });
      if (clash) {
        await this.repository.setStatus(manager, waiting.id, [TicketStatus.WAITLISTED], {
          status: TicketStatus.REJECTED,
          reason: RejectReason.SCHEDULE_CLASH,
          note: 'skipped at promotion: a confirmed course of the senior overlaps this one',
        });
        effects.outcomes.push({
          ticketId: waiting.id,
          courseId,
          seniorId: waiting.seniorId,
          status: TicketStatus.REJECTED,
          reason: RejectReason.SCHEDULE_CLASH,
        });
        continue;
      }
      await this.repository.setStatus(manager, waiting.id, [TicketStatus.WAITLISTED], {
        status: TicketStatus.CONFIRMED,
        reason: null,
        note: 'promoted from the waiting list',
      });
      effects.outcomes.push({ ticketId: waiting.id, courseId, seniorId: waiting.seniorId, status: TicketStatus.CONFIRMED, reason: null });
      free -= 1;
    }
    await this.notify(manager, effects.outcomes.slice(decidedBefore), true);
  }

  /**
   * Writes the seat notifications of these outcomes to the outbox, in the transaction that
   * decides them: one per ticket and outcome (a replayed decision writes nothing more). A
   * cancellation is told only when its owner did not ask for it (`told`).
   */
  async notify(manager: EntityManager, outcomes: Outcome[], promotion: boolean): Promise<void> {
    const kindOf = ({ status, told }: Outcome): NotificationKind | null => {
      switch (status) {
        case TicketStatus.CONFIRMED:
          return promotion ? NotificationKind.SEAT_PROMOTED : NotificationKind.SEAT_CONFIRMED;
        case TicketStatus.WAITLISTED:
          return NotificationKind.SEAT_WAITLISTED;
        case TicketStatus.REJECTED:
          return NotificationKind.SEAT_REJECTED;
        case TicketStatus.CANCELLED:
          return told ? NotificationKind.SEAT_CANCELLED : null;
        case TicketStatus.QUEUED:
        case TicketStatus.PENDING_DRAW:
          return null;
      }
    };
    const decided = outcomes.flatMap((o) => {
      const kind = kindOf(o);
      return kind ? [{ ...o, kind }] : [];
    });
    if (decided.length === 0) return;
    const titles = new Map((await this.repository.courses(manager, [...new Set(decided.map((o) => o.courseId))])).map((c) => [c.id, c.title]));
    await this.notifications.record(
      manager,
      decided.map((o) => ({
        kind: o.kind,
        eventKey: `seat:${o.ticketId}:${o.kind}`,
        to: { userId: o.seniorId },
        params: { course: titles.get(o.courseId) ?? '' },
        link: `/applications/${o.ticketId}`,
        familyLink: '/family',
      })),
    );
  }

  /**
   * Cancels a ticket its owner (or an administrator) cancelled while it was still only in Redis:
   * under the term lock, allocates the stream up to it if needed, then cancels it and promotes if
   * it held a seat. One an administrator cancelled is told to its senior and her relatives, as a
   * decided one is. Safe to run twice: a ticket already cancelled is left alone.
   */
  async cancelQueued(ticketId: string): Promise<boolean> {
    const queued = await this.store.ticket(ticketId);
    const termId = queued?.termId ?? (await this.repository.ticket(this.repository.manager, ticketId))?.termId;
    if (!termId) return false;
    await this.transactions.run(async (manager, tx) => {
      await this.repository.lockTerm(manager, termId, true);
      const result: Effects = { termId, outcomes: [], courseIds: new Set() };
      this.followCommit(tx, result);
      let row = await this.repository.ticket(manager, ticketId);
      while (!row) {
        const batch = await this.allocateBatch(manager, termId);
        if (batch.outcomes.length === 0) break;
        result.outcomes.push(...batch.outcomes);
        batch.courseIds.forEach((id) => result.courseIds.add(id));
        result.checkpoint = batch.checkpoint;
        row = await this.repository.ticket(manager, ticketId);
      }
      if (!row) throw new Error(`ticket ${ticketId} is neither allocated nor on its term's stream`);
      const wasConfirmed = row.status === TicketStatus.CONFIRMED;
      const byStaff = queued?.cancelRequested === 'STAFF';
      const changed = await this.repository.setStatus(manager, ticketId, [TicketStatus.CONFIRMED, TicketStatus.WAITLISTED, TicketStatus.PENDING_DRAW], {
        status: TicketStatus.CANCELLED,
        reason: null,
        note: byStaff ? STAFF_CANCEL_NOTE : 'cancelled by its owner',
      });
      if (changed) {
        const outcome: Outcome = { ticketId, courseId: row.courseId, seniorId: row.seniorId, status: TicketStatus.CANCELLED, reason: null, told: byStaff };
        result.outcomes.push(outcome);
        await this.notify(manager, [outcome], false);
        result.courseIds.add(row.courseId);
        if (wasConfirmed) await this.promoteLocked(manager, row.courseId, result);
      }
    });
    return true;
  }

  /**
   * Draws a lottery course: allocates the term's stream first (so every accepted ticket takes
   * part), orders the PENDING_DRAW tickets by HMAC-SHA256(seed, ticket id) and applies the rules
   * in that order. A course already drawn keeps its draw.
   */
  async draw(courseId: string, drawnBy: string | null): Promise<void> {
    const course = await this.repository.course(courseId);
    if (!course) return;
    await this.transactions.run(async (manager, tx) => {
      await this.repository.lockTerm(manager, course.termId, true);
      const result: Effects = { termId: course.termId, outcomes: [], courseIds: new Set([courseId]) };
      this.followCommit(tx, result);
      for (;;) {
        const batch = await this.allocateBatch(manager, course.termId);
        if (batch.outcomes.length === 0) break;
        result.outcomes.push(...batch.outcomes);
        batch.courseIds.forEach((id) => result.courseIds.add(id));
        result.checkpoint = batch.checkpoint;
      }
      if (await this.repository.draw(manager, courseId)) return;
      // A course cancelled meanwhile has nobody left to draw.
      const [current] = await this.repository.courses(manager, [courseId]);
      if (!current || current.cancelledAt !== null) return;
      const term = await this.repository.term(manager, course.termId);
      if (!term) throw new Error(`course ${courseId} without its term`);
      const candidates = await this.repository.pendingDraw(manager, courseId);
      const seed = randomBytes(32).toString('hex');
      const order = drawOrder(
        seed,
        candidates.map((c) => c.id),
      );
      const seniorOf = new Map(candidates.map((c) => [c.id, c.seniorId]));
      const { state } = await this.stateFor(manager, term, [...new Set(candidates.map((c) => c.seniorId))]);
      const tickets = new Map((await this.repository.ticketsByIds(manager, order)).map((t) => [t.id, t]));
      const seniors = await this.users.birthDatesOf([...new Set(candidates.map((c) => c.seniorId))]);
      const slot = state.courses.get(courseId);
      if (!slot) throw new Error(`course ${courseId} missing from its term`);
      const drawn: Outcome[] = [];
      for (const [rank, ticketId] of order.entries()) {
        const seniorId = seniorOf.get(ticketId) ?? '';
        if (seniors.get(seniorId)?.removed) {
          // An account removed without its tickets (before removals released them) is not drawn.
          const { status, reason, note } = ACCOUNT_REMOVED;
          await this.repository.setStatus(manager, ticketId, [TicketStatus.PENDING_DRAW], { status, reason, note, drawRank: rank + 1 });
          result.outcomes.push({ ticketId, courseId, seniorId, status, reason });
          continue;
        }
        const birthDate = seniors.get(seniorId)?.birthDate ?? null;
        const acceptedAt = tickets.get(ticketId)?.acceptedAt ?? new Date();
        const age = birthDate ? ageOn(birthDate, new Date(acceptedAt)) : null;
        // The ticket itself is PENDING_DRAW in `state`; only confirmed and waitlisted ones count.
        const reason = rejection(state, seniorId, slot, age);
        const status = reason ? TicketStatus.REJECTED : seatOrWaitlist(state, slot);
        await this.repository.setStatus(manager, ticketId, [TicketStatus.PENDING_DRAW], { status, reason, note: null, drawRank: rank + 1 });
        if (!reason) state.add(seniorId, { ticketId, courseId, status });
        result.outcomes.push({ ticketId, courseId, seniorId, status, reason });
        drawn.push({ ticketId, courseId, seniorId, status, reason });
      }
      await this.notify(manager, drawn, false);
      await this.repository.insertDraw(manager, { courseId, seed, algorithm: DRAW_ALGORITHM, order, drawnBy });
    });
  }

  /**
   * Has `effects` mirrored and published once the transaction commits (as they stand then: the
   * work may still add to them); an attempt that rolls back publishes nothing. Returns them.
   */
  private followCommit(tx: TransactionContext, effects: Effects): Effects {
    tx.afterCommit(() => this.publish(effects));
    return effects;
  }

  /** Mirrors committed outcomes into Redis, refreshes the counts cache and publishes the changes. */
  private async publish(effects: Effects): Promise<void> {
    if (effects.outcomes.length === 0 && effects.checkpoint === undefined) return;
    await this.store.afterCommit(effects.termId, effects.outcomes, effects.checkpoint);
    await this.catalogue.refreshCounts(effects.termId, [...effects.courseIds]);
    const ids = effects.outcomes.map((o) => o.ticketId);
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await this.repository.ticketsByIds(this.repository.manager, ids.slice(start, start + 500));
      await this.events.publish(rows.map(ticketViewOf));
    }
  }

  /** Called by the sweep: drains terms with pending tickets, promotes into free seats, draws due lotteries. */
  async sweep(): Promise<{ drained: number; promoted: number; drawn: number }> {
    let drained = 0;
    for (const termId of await this.store.termsWithStreams()) {
      if (await this.hasPending(termId)) drained += await this.drain(termId);
    }
    let promoted = 0;
    for (const courseId of await this.repository.coursesWithFreeSeatsAndWaitlist()) promoted += await this.promote(courseId);
    let drawn = 0;
    for (const due of await this.repository.lotteriesDue()) {
      await this.draw(due.id, null);
      drawn += 1;
    }
    if (drained + promoted + drawn > 0) this.logger.debug(`sweep decided ${drained}, promoted ${promoted}, drew ${drawn}`);
    return { drained, promoted, drawn };
  }
}
