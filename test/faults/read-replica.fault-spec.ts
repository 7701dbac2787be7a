/**
 * Proves DATABASE_READ_URL against a real streaming replica (built with `pg_basebackup -R`): the
 * reads that may lag (term and course lists, district figures, a board's first load) are served
 * by the standby, where pg_is_in_recovery() is true; writes and everything that decides (a new
 * course, an application accepted for it, its allocation) go to the primary even while the
 * standby lags behind; and when the standby stops, the API keeps answering from the primary.
 */
import { join } from 'node:path';
import { CLASHING_COURSES, openTerm } from './support/enrolment';
import { expectJson, request } from './support/http';
import { birthDateForAge, createPeople, type Person, signInAdmin } from './support/people';
import { PostgresCluster } from './support/postgres';
import { until } from './support/run';
import { FaultStack } from './support/stack';

describe('a PostgreSQL streaming replica for reads that may lag', () => {
  let stack: FaultStack;
  let standby: PostgresCluster;
  let admin: Person;
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'read-replica', apis: 0, workers: 0 });
    standby = await PostgresCluster.standbyOf(stack.run.pgBinDir, stack.pg, join(stack.run.pgDir, 'read-replica-standby'));
    await stack.startApi({ DATABASE_READ_URL: standby.url() });
    await stack.startWorker({ DATABASE_READ_URL: standby.url() });
    admin = await signInAdmin(stack);
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
    await standby?.stop();
  }, 60_000);

  it('serves lists from the standby, and decides on the primary while the standby lags', async () => {
    expect((await standby.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering'))[0]?.recovering).toBe(true);
    expect((await stack.pg.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering'))[0]?.recovering).toBe(false);
    const api = stack.api.url;
    const { term } = await openTerm(stack, admin, CLASHING_COURSES.slice(0, 1));
    await until(
      async () => (await request<{ items: { id: string }[] }>('GET', `${api}/api/v1/enrolment/terms`)).body.items.some((t) => t.id === term.id),
      10_000,
      'the new term replicated',
    );
    await expectJson('GET', `${api}/api/v1/care-centres/kpis`, 200, { auth: admin.auth });
    // The lag-tolerant reads ran on the standby: its sessions carry the read pool's name.
    const readers = await standby.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'eldercare-read'`);
    expect(readers[0]?.n).toBeGreaterThan(0);

    // Hold the standby still: what is written now exists on the primary only.
    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      const course = await expectJson<{ id: string }>('POST', `${api}/api/v1/enrolment/courses`, 201, {
        auth: admin.auth,
        body: {
          termId: term.id,
          title: '复制延迟课程',
          campus: '杭州市上城区老年大学',
          mode: 'FIRST_COME',
          capacity: 5,
          weekday: 4,
          startTime: '09:00',
          endTime: '10:00',
        },
      });
      const listed = await expectJson<{ items: { id: string }[] }>('GET', `${api}/api/v1/enrolment/courses?limit=200`, 200);
      expect(listed.items.some((c) => c.id === course.id)).toBe(false);
      // The accept path reads the course and its window from the primary: the lagging standby does not matter.
      const [senior] = await createPeople(stack, ['SENIOR'], [birthDateForAge(70)]);
      if (!senior) throw new Error('no senior');
      const accepted = await expectJson<{ ticketId: string }>('POST', `${api}/api/v1/enrolment/applications`, 202, {
        auth: senior.auth,
        body: { courseId: course.id },
      });
      await until(
        async () =>
          (await request<{ status: string }>('GET', `${api}/api/v1/enrolment/applications/${accepted.ticketId}`, { auth: senior.auth })).body.status ===
          'CONFIRMED',
        20_000,
        'the ticket allocated on the primary',
      );
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
  }, 90_000);

  it('keeps answering from the primary when the standby stops', async () => {
    const api = stack.api.url;
    await standby.stop();
    const terms = await request<{ items: unknown[] }>('GET', `${api}/api/v1/enrolment/terms`);
    expect(terms.status).toBe(200);
    expect(terms.body.items.length).toBeGreaterThan(0);
    const courses = await request('GET', `${api}/api/v1/enrolment/courses`);
    expect(courses.status).toBe(200);
    const warnings = stack.api.logLines().filter((line) => line.context === 'ReadDatabase');
    expect(warnings.length).toBeGreaterThan(0);
    expect(String(warnings[0]?.msg)).toContain('reading from the primary');
  }, 60_000);
});
