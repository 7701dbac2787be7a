import { EnrolmentKeys } from '@app/enrolment';
import { type CourseSpec, type ReplayCourse, type ReplayRow, type ReplayTerm, serialReplay } from '../../enrolment/serial-replay';
import type { Person } from './people';
import { sleep, until } from './run';
import type { FaultStack } from './stack';

export { CLASHING_COURSES, type CourseSpec, prng } from '../../enrolment/serial-replay';

const HOUR_MS = 3600_000;

export interface Term extends ReplayTerm {
  id: string;
}

export type Course = ReplayCourse;

async function post<T>(url: string, auth: { Authorization: string }, body: unknown, expected: number): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== expected) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** An open term (opened an hour ago, closes tomorrow) with the given first-come courses. */
export async function openTerm(
  stack: FaultStack,
  admin: Person,
  specs: CourseSpec[],
  rules = { maxCoursesPerSenior: 2, minAge: 60 },
): Promise<{ term: Term; courses: Course[] }> {
  const base = `${stack.api.url}/api/v1/enrolment`;
  const term = await post<Term>(
    `${base}/terms`,
    admin.auth,
    {
      name: '故障测试学期',
      opensAt: new Date(Date.now() - HOUR_MS).toISOString(),
      closesAt: new Date(Date.now() + 24 * HOUR_MS).toISOString(),
      ...rules,
    },
    201,
  );
  const courses: Course[] = [];
  for (const [index, spec] of specs.entries()) {
    courses.push(
      await post<Course>(
        `${base}/courses`,
        admin.auth,
        { termId: term.id, title: `课程${index + 1}`, campus: '杭州市上城区老年大学', mode: 'FIRST_COME', ...spec },
        201,
      ),
    );
  }
  return { term, courses };
}

export interface Application {
  senior: Person;
  courseId: string;
}

/** `perSenior` applications per senior, mostly to the first courses, shuffled. */
export function applications(seniors: Person[], courses: Course[], perSenior: number, random: () => number): Application[] {
  const list: Application[] = [];
  for (const senior of seniors) {
    for (let n = 0; n < perSenior; n += 1) list.push({ senior, courseId: courses[Math.floor(random() ** 1.5 * courses.length)]?.id ?? '' });
  }
  for (let i = list.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export interface Outcome {
  seniorId: string;
  courseId: string;
  /** HTTP status, or 0 when no response came (connection refused or reset, or a timeout). */
  status: number;
  body: { ticketId?: string; sequence?: number; courseId?: string; status?: string; code?: string };
  error?: string;
  apiUrl: string;
  startedAt: number;
  endedAt: number;
}

/**
 * Sends applications with `inFlight` concurrent clients until the list is done or `stop()` is
 * called. `target` picks the API of each request (it may change while the burst runs), and
 * every outcome is recorded with its timing, including requests that got no response.
 */
export class Burst {
  readonly outcomes: Outcome[] = [];
  private next = 0;
  private stopped = false;
  readonly finished: Promise<void>;

  /**
   * @param timeoutMs a request without an answer after this long is recorded as a timeout
   * @param pauseAfterFailureMs a client waits this long after an answer other than 2xx, as a real
   *   client backs off, so an outage does not use the whole list up in a moment
   */
  constructor(
    private readonly list: Application[],
    private readonly target: (index: number) => string,
    inFlight: number,
    private readonly timeoutMs = 10_000,
    private readonly pauseAfterFailureMs = 0,
  ) {
    this.finished = Promise.all(Array.from({ length: inFlight }, () => this.client())).then(() => undefined);
  }

  get sent(): number {
    return this.next;
  }

  stop(): void {
    this.stopped = true;
  }

  private async client(): Promise<void> {
    while (!this.stopped && this.next < this.list.length) {
      const index = this.next;
      this.next += 1;
      const outcome = await this.send(this.list[index], this.target(index));
      this.outcomes.push(outcome);
      if (this.pauseAfterFailureMs > 0 && (outcome.status < 200 || outcome.status >= 300)) await sleep(this.pauseAfterFailureMs);
    }
  }

  private async send(application: Application, apiUrl: string): Promise<Outcome> {
    const startedAt = Date.now();
    const base = { seniorId: application.senior.id, courseId: application.courseId, apiUrl, startedAt };
    try {
      const response = await fetch(`${apiUrl}/api/v1/enrolment/applications`, {
        method: 'POST',
        headers: { ...application.senior.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ courseId: application.courseId }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      let body: Outcome['body'] = {};
      try {
        body = JSON.parse(text) as Outcome['body'];
      } catch {
        body = {};
      }
      return { ...base, status: response.status, body, endedAt: Date.now() };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ...base, status: 0, body: {}, error: cause ?? (error as Error).name, endedAt: Date.now() };
    }
  }
}

export interface AllocationReport {
  acknowledged: number;
  rows: number;
  /** Tickets that exist although their 202 never reached the client (the reply was lost). */
  unacknowledged: number;
  byOutcome: Record<string, number>;
}

/**
 * Waits until the term's allocation has caught up with every ticket Redis numbered, then checks
 * what must hold whatever happened meanwhile: every acknowledged (202) ticket is a row with the
 * sequence, course and senior it was given, final; sequences run 1…N with no gap; no senior holds
 * a course twice; no course is over capacity and its seat count equals its confirmed rows; and
 * the outcome is exactly the serial replay in sequence order. Fails the test otherwise.
 */
export async function verifyAllocation(
  stack: FaultStack,
  term: Term,
  courses: Course[],
  seniors: Person[],
  outcomes: Outcome[],
  timeoutMs = 60_000,
): Promise<AllocationReport> {
  const acknowledged = new Map<string, { sequence: number; courseId: string; seniorId: string }>();
  for (const outcome of outcomes.filter((o) => o.status === 202)) {
    const ticketId = outcome.body.ticketId ?? '';
    expect(acknowledged.has(ticketId)).toBe(false);
    acknowledged.set(ticketId, { sequence: outcome.body.sequence ?? -1, courseId: outcome.courseId, seniorId: outcome.seniorId });
  }
  const redis = stack.redisClient();
  let issued = 0;
  try {
    issued = Number((await redis.get(new EnrolmentKeys(stack.env.QUEUE_PREFIX ?? '').sequence(term.id))) ?? '0');
  } finally {
    redis.disconnect();
  }
  expect(issued).toBeGreaterThanOrEqual(acknowledged.size);
  await until(
    async () => {
      return (await allocatedCount(stack, term.id)) === issued;
    },
    timeoutMs,
    `all ${issued} tickets of the term allocated`,
    250,
  );
  const rows = await stack.pg.query<ReplayRow>(
    `SELECT id, course_id, senior_id, sequence::int AS sequence, status, reason, accepted_at FROM enrolment_applications WHERE term_id = $1 ORDER BY sequence`,
    [term.id],
  );
  // Gapless, unique sequences: the stream lost nothing between the accept script and the allocator.
  expect(rows.map((row) => row.sequence)).toEqual(Array.from({ length: issued }, (_, i) => i + 1));
  expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const lost = [...acknowledged.keys()].filter((ticketId) => !byId.has(ticketId));
  expect(lost).toEqual([]);
  for (const [ticketId, ticket] of acknowledged) {
    const row = byId.get(ticketId);
    expect({ sequence: row?.sequence, courseId: row?.course_id, seniorId: row?.senior_id }).toEqual(ticket);
  }
  // A 200 names the senior's existing ticket, which must be one of the rows.
  for (const outcome of outcomes.filter((o) => o.status === 200)) expect(byId.get(outcome.body.ticketId ?? '')?.senior_id).toBe(outcome.seniorId);
  const unanswered = outcomes.filter((o) => o.status !== 202 && o.status !== 200).length;
  expect(rows.length - acknowledged.size).toBeLessThanOrEqual(unanswered);
  for (const row of rows) expect(['CONFIRMED', 'WAITLISTED', 'REJECTED']).toContain(row.status);

  const holding = new Map<string, number>();
  for (const row of rows.filter((r) => r.status === 'CONFIRMED' || r.status === 'WAITLISTED')) {
    const key = `${row.senior_id}|${row.course_id}`;
    holding.set(key, (holding.get(key) ?? 0) + 1);
  }
  expect([...holding.values()].filter((count) => count > 1)).toEqual([]);

  const seats = await stack.pg.query<{ id: string; capacity: number; confirmed_count: number; confirmed: number }>(
    `SELECT c.id, c.capacity, c.confirmed_count,
            (SELECT count(*)::int FROM enrolment_applications a WHERE a.course_id = c.id AND a.status = 'CONFIRMED') AS confirmed
       FROM enrolment_courses c WHERE c.term_id = $1`,
    [term.id],
  );
  for (const course of seats) {
    expect(course.confirmed).toBeLessThanOrEqual(course.capacity);
    expect(course.confirmed_count).toBe(course.confirmed);
  }

  const expected = serialReplay(rows, term, new Map(courses.map((c) => [c.id, c])), new Map(seniors.map((s) => [s.id, s.birthDate])));
  const differing = rows.filter((row) => expected.get(row.id)?.status !== row.status || expected.get(row.id)?.reason !== row.reason);
  expect(differing.map((row) => ({ sequence: row.sequence, got: `${row.status}/${row.reason}`, replay: expected.get(row.id) }))).toEqual([]);

  const byOutcome: Record<string, number> = {};
  for (const row of rows) byOutcome[row.reason ?? row.status] = (byOutcome[row.reason ?? row.status] ?? 0) + 1;
  return { acknowledged: acknowledged.size, rows: rows.length, unacknowledged: rows.length - acknowledged.size, byOutcome };
}

/** Rows of the term allocated so far. */
export async function allocatedCount(stack: FaultStack, termId: string): Promise<number> {
  const rows = await stack.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM enrolment_applications WHERE term_id = $1`, [termId]);
  return rows[0]?.n ?? 0;
}
