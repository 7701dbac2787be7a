import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@app/platform';

/** One term's enrolment figures, as the records stand now. */
export interface TermFigures {
  termId: string;
  name: string;
  opensAt: Date;
  closesAt: Date;
  /** Distinct seniors with at least one decided application (any outcome, cancelled included). */
  applicants: number;
  /** Sum of the capacities of the term's courses. */
  seats: number;
  confirmed: number;
  waitlisted: number;
  rejected: number;
}

/**
 * Terms whose enrolment window [opensAt, closesAt] overlaps the period [$1, $2), oldest first,
 * with their figures now. Tickets still queued in Redis (the seconds between acceptance and
 * allocation) are not counted yet.
 */
export const TERM_FIGURES_SQL = `
  SELECT t.id AS "termId", t.name, t.opens_at AS "opensAt", t.closes_at AS "closesAt",
         (SELECT count(DISTINCT a.senior_id) FROM enrolment_applications a WHERE a.term_id = t.id)::int AS "applicants",
         (SELECT coalesce(sum(c.capacity), 0) FROM enrolment_courses c WHERE c.term_id = t.id AND c.cancelled_at IS NULL)::int AS "seats",
         (SELECT count(*) FROM enrolment_applications a WHERE a.term_id = t.id AND a.status = 'CONFIRMED')::int AS "confirmed",
         (SELECT count(*) FROM enrolment_applications a WHERE a.term_id = t.id AND a.status = 'WAITLISTED')::int AS "waitlisted",
         (SELECT count(*) FROM enrolment_applications a WHERE a.term_id = t.id AND a.status = 'REJECTED')::int AS "rejected"
    FROM enrolment_terms t
   WHERE t.opens_at < $2 AND t.closes_at >= $1
   ORDER BY t.opens_at, t.name, t.id`;

/** Enrolment figures for reports; from the read replica when there is one. */
@Injectable()
export class TermFiguresService {
  constructor(private readonly read: ReadDatabase) {}

  async overlapping(start: Date, end: Date): Promise<TermFigures[]> {
    return this.read.query<TermFigures & Record<string, unknown>>(TERM_FIGURES_SQL, [start.toISOString(), end.toISOString()]);
  }
}
