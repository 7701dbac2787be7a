/**
 * Proves the enrolment burst: a few thousand concurrent applications from hundreds of seniors to
 * a handful of small clashing courses, allocated by two worker instances with concurrency above
 * one, end with no course over capacity, every ticket final, no ticket lost or duplicated, and
 * exactly the outcome of a serial replay in sequence order computed here from the data alone,
 * with some applications made for seniors by a counter worker and by linked relatives.
 */
import {
  adminOf,
  birthDateForAge,
  createTestStack,
  createUser,
  http,
  startExtraWorker,
  type TestStack,
  type TestUser,
  uniquePhone,
  waitFor,
} from '@app/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { type Course, createCourse, createTerm } from './helpers';
import { CLASHING_COURSES, prng, type ReplayRow, serialReplay } from './serial-replay';

const SENIORS = 300;
const REQUESTS_PER_SENIOR = 9;
const IN_FLIGHT = 64;

describe('enrolment burst', () => {
  let stack: TestStack;
  let second: INestApplicationContext;
  let admin: TestUser;
  beforeAll(async () => {
    stack = await createTestStack({ worker: true, config: { enrolmentApplyPerMinute: 1000 } });
    second = await startExtraWorker(stack);
    admin = await adminOf(stack);
  }, 30_000);
  afterAll(async () => {
    await second.close();
    await stack.close();
  });

  it('never oversells, loses or duplicates a ticket, and equals a serial replay in sequence order', async () => {
    const seed = Date.now() % 1_000_000;
    const random = prng(seed);
    const term = await createTerm(stack, admin, { maxCoursesPerSenior: 2, minAge: 60 });
    const courseList: Course[] = [];
    for (const spec of CLASHING_COURSES) courseList.push(await createCourse(stack, admin, term, spec));
    const courses = new Map(courseList.map((c) => [c.id, c]));

    const seniors: TestUser[] = [];
    const birthDates = new Map<string, string>();
    for (let start = 0; start < SENIORS; start += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, SENIORS - start) }, (_, i) => {
          const years = (start + i) % 10 === 0 ? 57 : 61 + ((start + i) % 25);
          const birthDate = birthDateForAge(years);
          return createUser(stack, ['SENIOR'], { birthDate }).then((user) => {
            birthDates.set(user.user.id, birthDate);
            return user;
          });
        }),
      );
      seniors.push(...batch);
    }

    // Some seniors have a linked relative, and a counter worker serves anyone: both act for them.
    const counter = await createUser(stack, ['COUNTER']);
    const relatives = new Map<string, TestUser>();
    for (const user of seniors.filter((_, index) => index % 7 === 3)) {
      const phone = uniquePhone();
      const relative = await createUser(stack, ['FAMILY'], { phone });
      await http(stack).post('/api/v1/family-links').set(user.auth).send({ relativePhone: phone, relation: 'CHILD' }).expect(201);
      relatives.set(user.user.id, relative);
    }

    // Every senior sends several applications, mostly to the popular first courses, some twice;
    // a few carry an Idempotency-Key and are sent twice with it; some are sent for them.
    const requests: { user: TestUser; actor: TestUser; courseId: string; key?: string }[] = [];
    for (const user of seniors) {
      for (let n = 0; n < REQUESTS_PER_SENIOR; n += 1) {
        const course = courseList[Math.floor(random() ** 1.5 * courseList.length)];
        const key = random() < 0.05 ? `k-${user.user.id.slice(0, 8)}-${n}` : undefined;
        const draw = random();
        const actor = relatives.has(user.user.id) && draw < 0.5 ? (relatives.get(user.user.id) ?? user) : draw > 0.9 ? counter : user;
        requests.push({ user, actor, courseId: course.id, key });
        if (key) requests.push({ user, actor, courseId: course.id, key });
      }
    }
    const proxied = requests.filter((r) => r.actor !== r.user).length;
    expect(proxied).toBeGreaterThan(requests.length / 20);
    for (let i = requests.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [requests[i], requests[j]] = [requests[j], requests[i]];
    }

    const responses: { status: number; body: { ticketId: string; sequence: number; courseId: string; status: string }; userId: string; key?: string }[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests.length) {
          const request = requests[next];
          next += 1;
          const headers: Record<string, string> = { ...request.actor.auth, 'Content-Type': 'application/json' };
          if (request.key) headers['Idempotency-Key'] = request.key;
          const body = request.actor === request.user ? { courseId: request.courseId } : { courseId: request.courseId, seniorId: request.user.user.id };
          const response = await fetch(`${stack.baseUrl}/api/v1/enrolment/applications`, { method: 'POST', headers, body: JSON.stringify(body) });
          responses.push({ status: response.status, body: (await response.json()) as never, userId: request.user.user.id, key: request.key });
        }
      }),
    );
    const acceptMs = Date.now() - started;

    expect(responses).toHaveLength(requests.length);
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200, 202]));
    const accepted = responses.filter((r) => r.status === 202 && !r.key);
    const keyed = new Map<string, typeof responses>();
    for (const r of responses.filter((x) => x.key)) keyed.set(`${r.userId}|${r.key}`, [...(keyed.get(`${r.userId}|${r.key}`) ?? []), r]);
    for (const pair of keyed.values()) expect(pair[1]?.body).toEqual(pair[0]?.body);
    const issued = new Map<string, { sequence: number; courseId: string; userId: string }>();
    for (const r of [...accepted, ...[...keyed.values()].map((pair) => pair[0]).filter((r) => r.status === 202)]) {
      expect(issued.has(r.body.ticketId)).toBe(false);
      issued.set(r.body.ticketId, { sequence: r.body.sequence, courseId: r.body.courseId, userId: r.userId });
    }
    const sequences = [...issued.values()].map((t) => t.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 1));

    const decidedBy = Date.now();
    await waitFor(
      async () => {
        const rows: { count: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS count FROM enrolment_applications WHERE term_id = $1`, [
          term.id,
        ]);
        return rows[0]?.count === issued.size;
      },
      { timeoutMs: 30_000, intervalMs: 200, message: 'every accepted ticket allocated' },
    );
    const drainMs = Date.now() - decidedBy;
    const rows: ReplayRow[] = await stack.dataSource.query(
      `SELECT id, course_id, senior_id, sequence::int AS sequence, status, reason, accepted_at FROM enrolment_applications WHERE term_id = $1`,
      [term.id],
    );

    // No lost or duplicate tickets: the rows are exactly the tickets the API handed out.
    expect(rows.map((r) => r.id).sort()).toEqual([...issued.keys()].sort());
    for (const row of rows) expect(issued.get(row.id)).toEqual({ sequence: row.sequence, courseId: row.course_id, userId: row.senior_id });
    for (const r of responses.filter((x) => x.status === 200)) expect(issued.has(r.body.ticketId)).toBe(true);
    // Every ticket final.
    for (const row of rows) expect(['CONFIRMED', 'WAITLISTED', 'REJECTED']).toContain(row.status);
    // No course over capacity, and the database's seat count agrees with the tickets.
    const seats: { id: string; capacity: number; confirmed_count: number; confirmed: number }[] = await stack.dataSource.query(
      `SELECT c.id, c.capacity, c.confirmed_count, (SELECT count(*)::int FROM enrolment_applications a WHERE a.course_id = c.id AND a.status = 'CONFIRMED') AS confirmed
       FROM enrolment_courses c WHERE c.term_id = $1`,
      [term.id],
    );
    for (const course of seats) {
      expect(course.confirmed).toBeLessThanOrEqual(course.capacity);
      expect(course.confirmed_count).toBe(course.confirmed);
    }
    // The outcome is exactly the serial replay in sequence order.
    const expected = serialReplay(rows, term, courses, birthDates);
    const mismatches = rows.filter((row) => {
      const want = expected.get(row.id);
      return want?.status !== row.status || want.reason !== row.reason;
    });
    if (mismatches.length > 0) console.error(`burst seed ${seed}: ${mismatches.length} tickets differ from the serial replay`);
    expect(mismatches).toEqual([]);
    // The burst really exercised the rules: seats ran out and every kind of outcome occurred.
    const kinds = new Set(rows.map((r) => r.reason ?? r.status));
    expect(kinds).toEqual(new Set(['CONFIRMED', 'WAITLISTED', 'NOT_ELIGIBLE', 'TERM_LIMIT_REACHED', 'SCHEDULE_CLASH']));
    expect(seats.every((c) => c.confirmed === c.capacity)).toBe(true);

    // The public list's cached counts catch up with the database.
    await waitFor(
      async () => {
        const response = await fetch(`${stack.baseUrl}/api/v1/enrolment/courses?termId=${term.id}`);
        const list = (await response.json()) as { items: { id: string; confirmedCount: number; waitlistCount: number }[] };
        return list.items.every((item) => {
          const confirmed = rows.filter((r) => r.course_id === item.id && r.status === 'CONFIRMED').length;
          const waiting = rows.filter((r) => r.course_id === item.id && r.status === 'WAITLISTED').length;
          return item.confirmedCount === confirmed && item.waitlistCount === waiting;
        });
      },
      { message: 'course counts cache matches the tickets' },
    );
    console.info(`burst seed ${seed}: ${responses.length} requests, ${issued.size} tickets accepted in ${acceptMs} ms, all decided ${drainMs} ms later`);
  }, 60_000);
});
