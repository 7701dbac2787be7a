import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ReadDatabase } from '@app/platform';
import type { RejectedTicket } from './enrolment.rules';
import type { CourseCounts, CourseMode, RejectReason, TicketStatus } from './enrolment.types';

export interface TermRow {
  id: string;
  name: string;
  opensAt: Date;
  closesAt: Date;
  maxCoursesPerSenior: number;
  minAge: number;
}

export interface CourseRow {
  id: string;
  termId: string;
  title: string;
  campus: string;
  capacity: number;
  confirmedCount: number;
  weekday: number;
  startTime: string;
  endTime: string;
  mode: CourseMode;
  drawn: boolean;
  /** Set once the course is cancelled (停开), with why; it then holds no place. */
  cancelledAt: Date | null;
  cancelReason: string | null;
}

/** What an administrator may change of a course once it exists: its slot and mode stay, since tickets were decided by them. */
export interface CourseChanges {
  title?: string;
  campus?: string;
  capacity?: number;
}

/** A decided ticket as the allocator writes it (`acceptedAt` as the ISO string the queue carried). */
export interface NewTicketRow {
  id: string;
  termId: string;
  courseId: string;
  seniorId: string;
  sequence: number;
  status: TicketStatus;
  reason: RejectReason | null;
  note: string | null;
  drawRank: number | null;
  acceptedAt: string;
}

/** A stored ticket. */
export interface TicketRow extends Omit<NewTicketRow, 'acceptedAt'> {
  acceptedAt: Date;
  decidedAt: Date;
  waitlistPosition: number | null;
}

export interface DrawRow {
  courseId: string;
  seed: string;
  algorithm: string;
  ticketOrder: string[];
  drawnAt: Date;
}

const TERM_COLUMNS = `id, name, opens_at AS "opensAt", closes_at AS "closesAt", max_courses_per_senior AS "maxCoursesPerSenior", min_age AS "minAge"`;
const COURSE_COLUMNS = `c.id, c.term_id AS "termId", c.title, c.campus, c.capacity, c.confirmed_count AS "confirmedCount", c.weekday::int AS weekday,
  to_char(c.start_time, 'HH24:MI') AS "startTime", to_char(c.end_time, 'HH24:MI') AS "endTime", c.mode,
  EXISTS (SELECT 1 FROM enrolment_draws d WHERE d.course_id = c.id) AS drawn, c.cancelled_at AS "cancelledAt", c.cancel_reason AS "cancelReason"`;
/** The statuses of a ticket that holds, or may yet hold, a place, as SQL. */
const HOLDING = `('CONFIRMED', 'WAITLISTED', 'PENDING_DRAW')`;
/** Waitlist positions are derived on read: the rank among the course's waitlisted tickets. */
const TICKET_COLUMNS = `a.id, a.term_id AS "termId", a.course_id AS "courseId", a.senior_id AS "seniorId", a.sequence::float8 AS sequence,
  a.status, a.reason, a.note, a.draw_rank AS "drawRank", a.accepted_at AS "acceptedAt", a.decided_at AS "decidedAt",
  CASE WHEN a.status = 'WAITLISTED' THEN (
    SELECT count(*)::int FROM enrolment_applications w
    WHERE w.course_id = a.course_id AND w.status = 'WAITLISTED'
      AND (coalesce(w.draw_rank, 2147483647), w.sequence) <= (coalesce(a.draw_rank, 2147483647), a.sequence)
  ) END AS "waitlistPosition"`;
/** Waiting-list order: draw order for a drawn lottery, sequence order otherwise. */
export const WAITLIST_ORDER = `coalesce(a.draw_rank, 2147483647), a.sequence`;

/**
 * Queries of enrolment. Anything that may run inside a transaction takes the manager first (outside
 * one, callers pass `manager`, the pool's); reads that never do use the pool or the read replica.
 */
@Injectable()
export class EnrolmentRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly read: ReadDatabase,
  ) {}

  /** The pool's manager, for reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Courses with a free seat and someone waiting (a promotion whose job was lost). */
  async coursesWithFreeSeatsAndWaitlist(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT c.id FROM enrolment_courses c WHERE c.confirmed_count < c.capacity AND c.cancelled_at IS NULL
         AND EXISTS (SELECT 1 FROM enrolment_applications a WHERE a.course_id = c.id AND a.status = 'WAITLISTED')`,
    );
    return rows.map((r) => r.id);
  }

  async insertTerm(manager: EntityManager, term: Omit<TermRow, 'id'>): Promise<TermRow> {
    const rows: TermRow[] = await manager.query(
      `INSERT INTO enrolment_terms (name, opens_at, closes_at, max_courses_per_senior, min_age) VALUES ($1, $2, $3, $4, $5) RETURNING ${TERM_COLUMNS}`,
      [term.name, term.opensAt, term.closesAt, term.maxCoursesPerSenior, term.minAge],
    );
    return rows[0];
  }

  /** The term, its row locked until the transaction ends. */
  async termForChange(manager: EntityManager, id: string): Promise<TermRow | null> {
    const rows: TermRow[] = await manager.query(`SELECT ${TERM_COLUMNS} FROM enrolment_terms WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Writes a term's fields as given (all of them: the caller merged the change into the row). */
  async changeTerm(manager: EntityManager, term: TermRow): Promise<TermRow> {
    // An UPDATE answers [rows, count].
    const [rows]: [TermRow[], number] = await manager.query(
      `UPDATE enrolment_terms SET name = $2, opens_at = $3, closes_at = $4, max_courses_per_senior = $5, min_age = $6 WHERE id = $1 RETURNING ${TERM_COLUMNS}`,
      [term.id, term.name, term.opensAt, term.closesAt, term.maxCoursesPerSenior, term.minAge],
    );
    return rows[0];
  }

  async insertCourse(manager: EntityManager, course: Omit<CourseRow, 'id' | 'confirmedCount' | 'drawn' | 'cancelledAt' | 'cancelReason'>): Promise<CourseRow> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO enrolment_courses (term_id, title, campus, capacity, weekday, start_time, end_time, mode)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [course.termId, course.title, course.campus, course.capacity, course.weekday, course.startTime, course.endTime, course.mode],
    );
    const created = await this.courses(manager, [rows[0].id]);
    return created[0];
  }

  /** Changes what a course says of itself and how many seats it has; fields left undefined stay. */
  async changeCourse(manager: EntityManager, id: string, changes: CourseChanges): Promise<void> {
    await manager.query(
      `UPDATE enrolment_courses SET title = coalesce($2, title), campus = coalesce($3, campus), capacity = coalesce($4, capacity) WHERE id = $1`,
      [id, changes.title ?? null, changes.campus ?? null, changes.capacity ?? null],
    );
  }

  /** Marks a course cancelled (its places already given up); one cancelled already keeps its first cancellation. */
  async cancelCourse(manager: EntityManager, id: string, cancelledBy: string, reason: string): Promise<void> {
    await manager.query(`UPDATE enrolment_courses SET cancelled_at = now(), cancelled_by = $2, cancel_reason = $3 WHERE id = $1 AND cancelled_at IS NULL`, [
      id,
      cancelledBy,
      reason,
    ]);
  }

  /** The course's tickets that hold or wait for a place. */
  async liveTicketsOfCourse(manager: EntityManager, courseId: string): Promise<{ id: string; seniorId: string; status: TicketStatus }[]> {
    return manager.query(
      `SELECT id, senior_id AS "seniorId", status FROM enrolment_applications
        WHERE course_id = $1 AND status IN ${HOLDING} ORDER BY sequence`,
      [courseId],
    );
  }

  /**
   * Of these seniors' applications in the term, those whose latest ticket for its course was
   * rejected for a clash or the term's limit (one she cancelled or holds since is not).
   */
  async refusedForPlaces(manager: EntityManager, termId: string, seniorIds: string[]): Promise<RejectedTicket[]> {
    return manager.query(
      `SELECT id AS "ticketId", senior_id AS "seniorId", course_id AS "courseId", reason FROM (
         SELECT DISTINCT ON (senior_id, course_id) id, senior_id, course_id, status, reason, sequence FROM enrolment_applications
          WHERE term_id = $1 AND senior_id = ANY($2::uuid[])
          ORDER BY senior_id, course_id, sequence DESC) latest
        WHERE status = 'REJECTED' AND reason IN ('SCHEDULE_CLASH', 'TERM_LIMIT_REACHED')
        ORDER BY sequence`,
      [termId, seniorIds],
    );
  }

  async term(manager: EntityManager, id: string): Promise<TermRow | null> {
    const rows: TermRow[] = await manager.query(`SELECT ${TERM_COLUMNS} FROM enrolment_terms WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Terms that are open or open before `until`, and have not closed: the ones a crowd may be about to hit. */
  async termsOpeningBy(until: Date): Promise<TermRow[]> {
    return this.dataSource.query(`SELECT ${TERM_COLUMNS} FROM enrolment_terms WHERE opens_at <= $1 AND closes_at > now() ORDER BY opens_at`, [until]);
  }

  /** The term list, for reading only: from the read replica when there is one (it may lag). */
  async terms(): Promise<TermRow[]> {
    return this.read.query<TermRow>(`SELECT ${TERM_COLUMNS} FROM enrolment_terms ORDER BY opens_at DESC, id`);
  }

  async courses(manager: EntityManager, ids: string[]): Promise<CourseRow[]> {
    return manager.query(`SELECT ${COURSE_COLUMNS} FROM enrolment_courses c WHERE c.id = ANY($1::uuid[])`, [ids]);
  }

  async course(id: string): Promise<CourseRow | null> {
    return (await this.courses(this.dataSource.manager, [id]))[0] ?? null;
  }

  async coursesOfTerm(manager: EntityManager, termId: string | undefined): Promise<CourseRow[]> {
    return termId
      ? manager.query(`SELECT ${COURSE_COLUMNS} FROM enrolment_courses c WHERE c.term_id = $1 ORDER BY c.created_at, c.id`, [termId])
      : manager.query(`SELECT ${COURSE_COLUMNS} FROM enrolment_courses c ORDER BY c.created_at, c.id`);
  }

  /** The public course list (of a term, or all), for reading only: from the read replica when there is one (it may lag). */
  async listedCourses(termId: string | undefined): Promise<CourseRow[]> {
    return termId
      ? this.read.query<CourseRow>(`SELECT ${COURSE_COLUMNS} FROM enrolment_courses c WHERE c.term_id = $1 ORDER BY c.created_at, c.id`, [termId])
      : this.read.query<CourseRow>(`SELECT ${COURSE_COLUMNS} FROM enrolment_courses c ORDER BY c.created_at, c.id`);
  }

  /** Confirmed, waitlisted and in-the-draw counts of courses, straight from the tickets. */
  async counts(manager: EntityManager, courseIds: string[]): Promise<({ courseId: string } & CourseCounts)[]> {
    return manager.query(
      `SELECT c.id AS "courseId", c.confirmed_count AS "confirmedCount",
              (SELECT count(*)::int FROM enrolment_applications a WHERE a.course_id = c.id AND a.status = 'WAITLISTED') AS "waitlistCount",
              (SELECT count(*)::int FROM enrolment_applications a WHERE a.course_id = c.id AND a.status = 'PENDING_DRAW') AS "pendingDrawCount"
       FROM enrolment_courses c WHERE c.id = ANY($1::uuid[])`,
      [courseIds],
    );
  }

  /**
   * The term's allocator lock, held until the transaction ends. `wait` blocks for it (promotion,
   * cancellation, draws); without it a busy lock answers false at once (draining).
   */
  async lockTerm(manager: EntityManager, termId: string, wait: boolean): Promise<boolean> {
    if (wait) {
      await manager.query(`SELECT pg_advisory_xact_lock(5, hashtext($1))`, [termId]);
      return true;
    }
    const rows: { locked: boolean }[] = await manager.query(`SELECT pg_try_advisory_xact_lock(5, hashtext($1)) AS locked`, [termId]);
    return rows[0]?.locked === true;
  }

  /** Every term's checkpoint above zero: the highest sequence already decided in PostgreSQL. */
  async checkpoints(): Promise<{ termId: string; last: number }[]> {
    return this.dataSource.query(`SELECT term_id AS "termId", last_sequence::float8 AS last FROM enrolment_checkpoints WHERE last_sequence > 0`);
  }

  async checkpoint(manager: EntityManager, termId: string): Promise<number> {
    await manager.query(`INSERT INTO enrolment_checkpoints (term_id) VALUES ($1) ON CONFLICT (term_id) DO NOTHING`, [termId]);
    const rows: { last: number }[] = await manager.query(`SELECT last_sequence::float8 AS last FROM enrolment_checkpoints WHERE term_id = $1`, [termId]);
    return rows[0]?.last ?? 0;
  }

  async moveCheckpoint(manager: EntityManager, termId: string, lastSequence: number): Promise<void> {
    await manager.query(`UPDATE enrolment_checkpoints SET last_sequence = $2, updated_at = now() WHERE term_id = $1 AND last_sequence < $2`, [
      termId,
      lastSequence,
    ]);
  }

  /** The terms in which the senior holds (or may yet hold) a place, in a fixed order. */
  async termsHeldBy(manager: EntityManager, seniorId: string): Promise<string[]> {
    const rows: { termId: string }[] = await manager.query(
      `SELECT DISTINCT term_id AS "termId" FROM enrolment_applications
        WHERE senior_id = $1 AND status IN ${HOLDING} ORDER BY 1`,
      [seniorId],
    );
    return rows.map((row) => row.termId);
  }

  /** The tickets of these seniors that hold (or may hold) a place in the term. */
  async heldTickets(
    manager: EntityManager,
    termId: string,
    seniorIds: string[],
  ): Promise<{ id: string; courseId: string; seniorId: string; status: TicketStatus }[]> {
    return manager.query(
      `SELECT id, course_id AS "courseId", senior_id AS "seniorId", status FROM enrolment_applications
       WHERE term_id = $1 AND senior_id = ANY($2::uuid[]) AND status IN ${HOLDING}
       ORDER BY sequence`,
      [termId, seniorIds],
    );
  }

  /** Inserts decided tickets in one statement; a ticket already stored (a retry) is left alone. */
  async insertTickets(manager: EntityManager, rows: NewTicketRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO enrolment_applications (id, term_id, course_id, senior_id, sequence, status, reason, note, draw_rank, accepted_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::bigint[], $6::varchar[], $7::varchar[], $8::varchar[], $9::int[], $10::timestamptz[])
       ORDER BY 5
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.termId),
        rows.map((r) => r.courseId),
        rows.map((r) => r.seniorId),
        rows.map((r) => r.sequence),
        rows.map((r) => r.status),
        rows.map((r) => r.reason),
        rows.map((r) => r.note),
        rows.map((r) => r.drawRank),
        rows.map((r) => r.acceptedAt),
      ],
    );
    return inserted.length;
  }

  async ticket(manager: EntityManager, id: string): Promise<TicketRow | null> {
    const rows: TicketRow[] = await manager.query(`SELECT ${TICKET_COLUMNS} FROM enrolment_applications a WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async ticketsByIds(manager: EntityManager, ids: string[]): Promise<TicketRow[]> {
    if (ids.length === 0) return [];
    return manager.query(`SELECT ${TICKET_COLUMNS} FROM enrolment_applications a WHERE a.id = ANY($1::uuid[]) ORDER BY a.sequence`, [ids]);
  }

  async ticketsOfSenior(seniorId: string): Promise<TicketRow[]> {
    return this.dataSource.query(`SELECT ${TICKET_COLUMNS} FROM enrolment_applications a WHERE a.senior_id = $1 ORDER BY a.accepted_at DESC, a.sequence DESC`, [
      seniorId,
    ]);
  }

  /** Confirmed tickets (in sequence or draw order) and the waiting list in its order. */
  async roster(courseId: string): Promise<TicketRow[]> {
    return this.dataSource.query(
      `SELECT ${TICKET_COLUMNS} FROM enrolment_applications a WHERE a.course_id = $1 AND a.status IN ('CONFIRMED', 'WAITLISTED')
       ORDER BY a.status, ${WAITLIST_ORDER}`,
      [courseId],
    );
  }

  async setStatus(
    manager: EntityManager,
    id: string,
    fromStatuses: TicketStatus[],
    to: { status: TicketStatus; reason: RejectReason | null; note: string | null; drawRank?: number | null },
  ): Promise<boolean> {
    const result: [unknown[], number] = await manager.query(
      `UPDATE enrolment_applications SET status = $3, reason = $4, note = coalesce($5, note), draw_rank = CASE WHEN $6::boolean THEN $7::int ELSE draw_rank END,
         decided_at = now(), updated_at = now()
       WHERE id = $1 AND status = ANY($2::varchar[]) RETURNING id`,
      [id, fromStatuses, to.status, to.reason, to.note, to.drawRank !== undefined, to.drawRank ?? null],
    );
    return result[1] > 0;
  }

  /** The course's waiting list in order, locked, for promotion. */
  async waitlist(manager: EntityManager, courseId: string): Promise<{ id: string; seniorId: string }[]> {
    return manager.query(
      `SELECT a.id, a.senior_id AS "seniorId" FROM enrolment_applications a WHERE a.course_id = $1 AND a.status = 'WAITLISTED' ORDER BY ${WAITLIST_ORDER} FOR UPDATE`,
      [courseId],
    );
  }

  async pendingDraw(manager: EntityManager, courseId: string): Promise<{ id: string; seniorId: string }[]> {
    return manager.query(
      `SELECT a.id, a.senior_id AS "seniorId" FROM enrolment_applications a WHERE a.course_id = $1 AND a.status = 'PENDING_DRAW' FOR UPDATE`,
      [courseId],
    );
  }

  async insertDraw(
    manager: EntityManager,
    draw: { courseId: string; seed: string; algorithm: string; order: string[]; drawnBy: string | null },
  ): Promise<void> {
    await manager.query(`INSERT INTO enrolment_draws (course_id, seed, algorithm, ticket_order, drawn_by) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
      draw.courseId,
      draw.seed,
      draw.algorithm,
      JSON.stringify(draw.order),
      draw.drawnBy,
    ]);
  }

  async draw(manager: EntityManager, courseId: string): Promise<DrawRow | null> {
    const rows: DrawRow[] = await manager.query(
      `SELECT course_id AS "courseId", seed, algorithm, ticket_order AS "ticketOrder", drawn_at AS "drawnAt" FROM enrolment_draws WHERE course_id = $1`,
      [courseId],
    );
    return rows[0] ?? null;
  }

  /** Lottery courses whose term has closed and that have not been drawn yet. */
  async lotteriesDue(): Promise<{ id: string; termId: string }[]> {
    return this.dataSource.query(
      `SELECT c.id, c.term_id AS "termId" FROM enrolment_courses c JOIN enrolment_terms t ON t.id = c.term_id
       WHERE c.mode = 'LOTTERY' AND c.cancelled_at IS NULL AND t.closes_at <= now() AND NOT EXISTS (SELECT 1 FROM enrolment_draws d WHERE d.course_id = c.id)`,
    );
  }

  async lastCheckpoint(termId: string): Promise<number> {
    const rows: { last: number }[] = await this.dataSource.query(`SELECT last_sequence::float8 AS last FROM enrolment_checkpoints WHERE term_id = $1`, [
      termId,
    ]);
    return rows[0]?.last ?? 0;
  }
}
