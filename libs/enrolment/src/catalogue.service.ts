import { Injectable } from '@nestjs/common';
import { CommonError, TransactionRunner, violatedConstraint } from '@app/platform';
import { type CourseRow, EnrolmentRepository, type TermRow } from './enrolment.repository';
import { EnrolmentError } from './enrolment.errors';
import type { CourseCounts, CourseMode } from './enrolment.types';
import { TicketStore } from './ticket-store';

/** How long a process trusts its copy of terms and courses (a course's title, campus and capacity may change). */
const CACHE_TTL_MS = 3000;

const NO_COUNTS: CourseCounts = { confirmedCount: 0, waitlistCount: 0, pendingDrawCount: 0 };

type CourseWithTerm = { course: CourseRow; term: TermRow };

/** A cached course: `value` is undefined until first read; `loading` is the read in flight, if any. */
interface CourseEntry {
  value?: CourseWithTerm | null;
  expiresAt: number;
  loading?: Promise<CourseWithTerm | null>;
}

/** A course as the catalogue shows it: the stored course with how its places stand. */
export interface CourseView extends Omit<CourseRow, 'drawn'>, CourseCounts {}

export interface TermView {
  id: string;
  name: string;
  opensAt: string;
  closesAt: string;
  maxCoursesPerSenior: number;
  minAge: number;
}

export function toTermView(term: TermRow): TermView {
  return {
    id: term.id,
    name: term.name,
    opensAt: new Date(term.opensAt).toISOString(),
    closesAt: new Date(term.closesAt).toISOString(),
    maxCoursesPerSenior: term.maxCoursesPerSenior,
    minAge: term.minAge,
  };
}

interface Cached<T> {
  value: T;
  expiresAt: number;
}

/**
 * Terms and courses: creation by administrators, and the reads the burst leans on (the accept
 * path's course and term, the public course list) served from a few seconds' in-process cache
 * and the Redis counts cache, so a spike of requests does not become a spike of queries.
 */
@Injectable()
export class CatalogueService {
  private readonly courseCache = new Map<string, CourseEntry>();
  private readonly listCache = new Map<string, Cached<CourseRow[]>>();

  constructor(
    private readonly repository: EnrolmentRepository,
    private readonly transactions: TransactionRunner,
    private readonly store: TicketStore,
  ) {}

  async createTerm(input: { name: string; opensAt: Date; closesAt: Date; maxCoursesPerSenior: number; minAge: number }): Promise<TermView> {
    if (!(input.opensAt.getTime() < input.closesAt.getTime())) {
      throw CommonError.validation('opensAt must be before closesAt.', [{ field: 'closesAt', message: 'must be after opensAt' }]);
    }
    const term = await this.transactions.run((manager) => this.repository.insertTerm(manager, { ...input, name: input.name.trim() }));
    return toTermView(term);
  }

  /**
   * An administrator changes a term, within what its applications were decided by: the name at
   * any time; the opening, the limit of courses and the minimum age before it opens (409
   * `TERM_ALREADY_OPEN`); the closing before it closes (409 `TERM_ALREADY_CLOSED`), never into the
   * past. A value equal to the one stored is no change. The row is locked while it is checked, and
   * `ck_enrolment_terms_opened` / `ck_enrolment_terms_closed` hold the same rules in the database.
   * This process forgets its copies at once; another one within `CACHE_TTL_MS`, and what it
   * accepts outside the new window meanwhile is cancelled by the allocator.
   */
  async changeTerm(id: string, changes: { name?: string; opensAt?: Date; closesAt?: Date; maxCoursesPerSenior?: number; minAge?: number }): Promise<TermView> {
    try {
      const term = await this.transactions.run(async (manager) => {
        const current = await this.repository.termForChange(manager, id);
        if (!current) throw CommonError.notFound('term');
        const now = Date.now();
        const opensAt = changes.opensAt ?? current.opensAt;
        const closesAt = changes.closesAt ?? current.closesAt;
        const next: TermRow = {
          id,
          name: changes.name ?? current.name,
          opensAt,
          closesAt,
          maxCoursesPerSenior: changes.maxCoursesPerSenior ?? current.maxCoursesPerSenior,
          minAge: changes.minAge ?? current.minAge,
        };
        const opensMoved = opensAt.getTime() !== current.opensAt.getTime();
        const closesMoved = closesAt.getTime() !== current.closesAt.getTime();
        const rulesChanged = opensMoved || next.maxCoursesPerSenior !== current.maxCoursesPerSenior || next.minAge !== current.minAge;
        if (rulesChanged && current.opensAt.getTime() <= now) throw EnrolmentError.termAlreadyOpen();
        if (closesMoved && current.closesAt.getTime() <= now) throw EnrolmentError.termAlreadyClosed();
        if (opensMoved && opensAt.getTime() < now) {
          throw CommonError.validation('opensAt must not be in the past.', [{ field: 'opensAt', message: 'must not be in the past' }]);
        }
        if (closesMoved && closesAt.getTime() <= now) {
          throw CommonError.validation('closesAt must be in the future.', [{ field: 'closesAt', message: 'must be in the future' }]);
        }
        if (!(opensAt.getTime() < closesAt.getTime())) {
          throw CommonError.validation('opensAt must be before closesAt.', [{ field: 'closesAt', message: 'must be after opensAt' }]);
        }
        return this.repository.changeTerm(manager, next);
      });
      for (const [courseId, entry] of this.courseCache) if (entry.value?.term.id === id) this.courseCache.delete(courseId);
      return toTermView(term);
    } catch (error) {
      // The term opened or closed between the checks and the write: the database's rule answers.
      if (violatedConstraint(error) === 'ck_enrolment_terms_opened') throw EnrolmentError.termAlreadyOpen();
      if (violatedConstraint(error) === 'ck_enrolment_terms_closed') throw EnrolmentError.termAlreadyClosed();
      throw error;
    }
  }

  async terms(): Promise<TermView[]> {
    return (await this.repository.terms()).map(toTermView);
  }

  async createCourse(input: {
    termId: string;
    title: string;
    campus: string;
    capacity: number;
    weekday: number;
    startTime: string;
    endTime: string;
    mode: CourseMode;
  }): Promise<CourseView> {
    if (!(input.startTime < input.endTime)) {
      throw CommonError.validation('startTime must be before endTime.', [{ field: 'endTime', message: 'must be after startTime' }]);
    }
    const course = await this.transactions.run(async (manager) => {
      const term = await this.repository.term(manager, input.termId);
      if (!term) throw CommonError.notFound('term');
      return this.repository.insertCourse(manager, { ...input, title: input.title.trim(), campus: input.campus.trim() });
    });
    this.listCache.delete(course.termId);
    return { ...this.toView(course), ...NO_COUNTS };
  }

  /**
   * A course as it stands after a change: this process forgets its copies at once (another
   * process within `CACHE_TTL_MS`), and the counts are read from PostgreSQL.
   */
  async changed(course: CourseRow): Promise<CourseView> {
    this.courseCache.delete(course.id);
    this.listCache.delete(course.termId);
    const [counts] = await this.repository.counts(this.repository.manager, [course.id]);
    const { confirmedCount, waitlistCount, pendingDrawCount } = counts ?? NO_COUNTS;
    return { ...this.toView(course), confirmedCount, waitlistCount, pendingDrawCount };
  }

  private toView(course: CourseRow): Omit<CourseView, keyof CourseCounts> {
    return {
      id: course.id,
      termId: course.termId,
      title: course.title,
      campus: course.campus,
      capacity: course.capacity,
      mode: course.mode,
      weekday: course.weekday,
      startTime: course.startTime,
      endTime: course.endTime,
      cancelledAt: course.cancelledAt === null ? null : new Date(course.cancelledAt),
      cancelReason: course.cancelReason,
    };
  }

  /**
   * The course and its term for the accept path, from the in-process cache. One read of the
   * database per course at a time, whatever the number of requests waiting for it: when a term
   * opens, hundreds of requests for the same course arrive within milliseconds of each other, and
   * each would otherwise miss the cache, queue for the connection pool and hold its request up.
   * Past the TTL the cached value is still served while one request refreshes it. A course's
   * title, campus and capacity may change, and the allocator reads them from PostgreSQL; so may
   * the term's window, and the allocator cancels a ticket accepted outside the window as stored
   * (note "accepted outside the enrolment window"), so a copy older than a change decides nothing.
   */
  async courseWithTerm(courseId: string): Promise<CourseWithTerm | null> {
    const cached = this.courseCache.get(courseId);
    if (cached?.value !== undefined && cached.expiresAt > Date.now()) return cached.value;
    if (cached?.loading) return cached.value !== undefined ? cached.value : cached.loading;
    if (this.courseCache.size > 10_000) this.courseCache.clear();
    const loading = this.loadCourse(courseId);
    const entry: CourseEntry = { value: cached?.value, expiresAt: cached?.expiresAt ?? 0, loading };
    this.courseCache.set(courseId, entry);
    void loading.then(
      (value) => this.courseCache.set(courseId, { value, expiresAt: Date.now() + CACHE_TTL_MS }),
      () => {
        // The next request tries again; a value read earlier keeps being served meanwhile.
        entry.loading = undefined;
      },
    );
    return entry.value !== undefined ? entry.value : loading;
  }

  /**
   * Fills the accept path's cache with every course of the terms that are open or open within
   * `horizonMs`: the first applications of a crowd then find their course in memory instead of
   * all waiting for the same first read. Returns how many courses were cached.
   */
  async primeOpeningTerms(horizonMs: number): Promise<number> {
    const terms = await this.repository.termsOpeningBy(new Date(Date.now() + horizonMs));
    let primed = 0;
    for (const term of terms) {
      for (const course of await this.repository.coursesOfTerm(this.repository.manager, term.id)) {
        if (this.courseCache.size > 10_000) return primed;
        this.courseCache.set(course.id, { value: { course, term }, expiresAt: Date.now() + CACHE_TTL_MS });
        primed += 1;
      }
    }
    return primed;
  }

  private async loadCourse(courseId: string): Promise<CourseWithTerm | null> {
    const course = await this.repository.course(courseId);
    const term = course ? await this.repository.term(this.repository.manager, course.termId) : null;
    return course && term ? { course, term } : null;
  }

  /**
   * The public course list. Courses come from the in-process cache; confirmed and waitlisted
   * counts from Redis (written by the allocator after each commit), rebuilt from PostgreSQL
   * only for courses the cache does not know.
   */
  async listCourses(termId: string | undefined, limit: number, offset: number): Promise<{ items: CourseView[]; total: number }> {
    const courses = termId ? await this.cachedCoursesOfTerm(termId) : await this.repository.listedCourses(undefined);
    const page = courses.slice(offset, offset + limit);
    const counts = new Map<string, CourseCounts>();
    const byTerm = new Map<string, string[]>();
    for (const course of page) byTerm.set(course.termId, [...(byTerm.get(course.termId) ?? []), course.id]);
    for (const [term, ids] of byTerm) {
      const cached = (await this.store.counts(term)) ?? new Map<string, CourseCounts>();
      const missing = ids.filter((id) => !cached.has(id));
      if (missing.length > 0) {
        const fresh = await this.repository.counts(this.repository.manager, missing);
        await this.store.storeCounts(term, fresh, false);
        for (const c of fresh) cached.set(c.courseId, c);
      }
      for (const id of ids) {
        const { confirmedCount, waitlistCount, pendingDrawCount } = cached.get(id) ?? NO_COUNTS;
        counts.set(id, { confirmedCount, waitlistCount, pendingDrawCount });
      }
    }
    return {
      items: page.map((course) => ({ ...this.toView(course), ...(counts.get(course.id) ?? NO_COUNTS) })),
      total: courses.length,
    };
  }

  private async cachedCoursesOfTerm(termId: string): Promise<CourseRow[]> {
    const now = Date.now();
    const cached = this.listCache.get(termId);
    if (cached && cached.expiresAt > now) return cached.value;
    const courses = await this.repository.listedCourses(termId);
    if (this.listCache.size > 1000) this.listCache.clear();
    this.listCache.set(termId, { value: courses, expiresAt: now + CACHE_TTL_MS });
    return courses;
  }

  /** Recounts courses from PostgreSQL into the counts cache (after a commit that changed them). */
  async refreshCounts(termId: string, courseIds: string[]): Promise<void> {
    if (courseIds.length === 0) return;
    await this.store.storeCounts(termId, await this.repository.counts(this.repository.manager, courseIds), true);
  }
}
