/**
 * The contract's definition of a fair allocation, computed by the tests themselves from the data
 * alone: tickets served one at a time in sequence order. Shared by the in-process burst test and
 * the fault battery, which compare what the allocator wrote with it.
 */

export interface ReplayTerm {
  maxCoursesPerSenior: number;
  minAge: number;
}

export interface ReplayCourse {
  id: string;
  capacity: number;
  weekday: number;
  startTime: string;
  endTime: string;
}

export interface CourseSpec {
  capacity: number;
  weekday: number;
  startTime: string;
  endTime: string;
}

/**
 * Small clashing courses on three weekdays, for the bursts of both batteries: seats run out and
 * every rejection reason occurs.
 */
export const CLASHING_COURSES: CourseSpec[] = [
  { capacity: 12, weekday: 1, startTime: '09:00', endTime: '10:00' },
  { capacity: 8, weekday: 1, startTime: '09:30', endTime: '11:00' },
  { capacity: 15, weekday: 2, startTime: '09:00', endTime: '10:00' },
  { capacity: 10, weekday: 2, startTime: '09:00', endTime: '10:00' },
  { capacity: 6, weekday: 3, startTime: '14:00', endTime: '15:00' },
  { capacity: 9, weekday: 3, startTime: '15:00', endTime: '16:00' },
];

/** An allocated ticket as read back from `enrolment_applications`. */
export interface ReplayRow {
  id: string;
  course_id: string;
  senior_id: string;
  sequence: number;
  status: string;
  reason: string | null;
  accepted_at: Date;
}

export type ReplayOutcome = { status: string; reason: string | null };

/** A tiny deterministic generator, so a failing run can be replayed from its printed seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function overlap(a: ReplayCourse, b: ReplayCourse): boolean {
  return a.weekday === b.weekday && minutesOf(a.startTime) < minutesOf(b.endTime) && minutesOf(b.startTime) < minutesOf(a.endTime);
}

function ageOn(birthDate: string, on: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const before = on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d);
  return on.getUTCFullYear() - y - (before ? 1 : 0);
}

/** The outcome of serving the tickets one at a time in sequence order, as the contract defines it. */
export function serialReplay(
  rows: ReplayRow[],
  term: ReplayTerm,
  courses: Map<string, ReplayCourse>,
  birthDates: Map<string, string>,
): Map<string, ReplayOutcome> {
  const outcome = new Map<string, ReplayOutcome>();
  const seats = new Map<string, number>();
  const held = new Map<string, { course: ReplayCourse; status: string }[]>();
  for (const row of [...rows].sort((a, b) => a.sequence - b.sequence)) {
    const course = courses.get(row.course_id);
    if (!course) throw new Error(`ticket ${row.id} names a course outside the term`);
    const mine = held.get(row.senior_id) ?? [];
    let result: ReplayOutcome;
    if (ageOn(birthDates.get(row.senior_id) ?? '2020-01-01', new Date(row.accepted_at)) < term.minAge) result = { status: 'REJECTED', reason: 'NOT_ELIGIBLE' };
    else if (mine.length >= term.maxCoursesPerSenior) result = { status: 'REJECTED', reason: 'TERM_LIMIT_REACHED' };
    else if (mine.some((t) => t.status === 'CONFIRMED' && overlap(t.course, course))) result = { status: 'REJECTED', reason: 'SCHEDULE_CLASH' };
    else if ((seats.get(course.id) ?? 0) < course.capacity) result = { status: 'CONFIRMED', reason: null };
    else result = { status: 'WAITLISTED', reason: null };
    if (result.status === 'CONFIRMED') seats.set(course.id, (seats.get(course.id) ?? 0) + 1);
    if (result.status !== 'REJECTED') held.set(row.senior_id, [...mine, { course, status: result.status }]);
    outcome.set(row.id, result);
  }
  return outcome;
}
