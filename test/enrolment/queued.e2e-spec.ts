/**
 * Proves that an accepted ticket is durable and readable before any worker runs (QUEUED from
 * Redis, cancellable while queued, decided once a worker starts later), and that an allocator
 * killed while holding its term's lock loses nothing: the others wait, then drain everything.
 */
import { Client } from 'pg';
import {
  birthDateForAge,
  createStackWithAdmin,
  createTestStack,
  createUser,
  http,
  startExtraWorker,
  type TestStack,
  type TestUser,
  waitFor,
} from '@app/testing';
import { notificationRows } from '../notifications/helpers';
import { apply, createCourse, createTerm, decided, ticket } from './helpers';

describe('enrolment tickets before allocation', () => {
  // Other test files run alongside on two cores; a worker's wait may take longer than Jest's 5 s default.
  jest.setTimeout(20_000);
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin()));
  afterAll(async () => stack.close());

  it('serves QUEUED tickets from Redis, cancels one while queued, and a late worker decides the rest', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 1 });
    const [quitter, keeper, third] = await Promise.all([0, 1, 2].map(() => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) })));
    const q = await apply(stack, quitter, course);
    const k = await apply(stack, keeper, course);
    const t = await apply(stack, third, course);
    expect([q.sequence, k.sequence, t.sequence]).toEqual([1, 2, 3]);
    expect([q.position, k.position, t.position]).toEqual([1, 2, 3]);
    expect(await ticket(stack, keeper, k.ticketId)).toMatchObject({ status: 'QUEUED', sequence: 2, courseId: course.id, decidedAt: null });
    await http(stack).get(`/api/v1/enrolment/applications/${k.ticketId}`).set(quitter.auth).expect(404);
    const mine = await http(stack).get('/api/v1/enrolment/applications?mine=true').set(keeper.auth).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [{ ticketId: k.ticketId, status: 'QUEUED' }] });
    const rows: { count: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS count FROM enrolment_applications`);
    expect(rows[0]?.count).toBe(0);

    const cancelled = await http(stack).delete(`/api/v1/enrolment/applications/${q.ticketId}`).set(quitter.auth).expect(200);
    expect(cancelled.body).toMatchObject({ ticketId: q.ticketId, status: 'CANCELLED' });

    const worker = await startExtraWorker(stack);
    try {
      expect(await decided(stack, keeper, k.ticketId)).toMatchObject({ status: 'CONFIRMED' });
      expect(await decided(stack, third, t.ticketId)).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
      expect(await decided(stack, quitter, q.ticketId)).toMatchObject({ status: 'CANCELLED', sequence: 1 });
    } finally {
      await worker.close();
    }
  });

  it('decides nothing while a killed allocator still holds the term lock, and everything once its connection dies', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 2 });
    const holder = new Client({ connectionString: stack.config.databaseUrl });
    // Terminating its backend below makes the client emit an error, which is the point here.
    holder.on('error', () => undefined);
    await holder.connect();
    // A stand-in for a worker that took the lock and started a batch, then hung or was killed.
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(5, hashtext($1))', [term.id]);
    const seniors = await Promise.all([0, 1, 2].map(() => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) })));
    const tickets: { ticketId: string }[] = [];
    for (const senior of seniors) tickets.push(await apply(stack, senior, course));
    const worker = await startExtraWorker(stack);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (const [index, accepted] of tickets.entries()) expect((await ticket(stack, seniors[index], accepted.ticketId)).status).toBe('QUEUED');
      const pid: { pid: number }[] = await stack.dataSource.query(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 5 AND objid = hashtext($1)::oid AND granted`,
        [term.id],
      );
      expect(pid).toHaveLength(1);
      await stack.dataSource.query('SELECT pg_terminate_backend($1)', [pid[0]?.pid]);
      await holder.end().catch(() => undefined);
      const statuses = await waitFor(
        async () => {
          const all = await Promise.all(tickets.map((t, i) => ticket(stack, seniors[i], t.ticketId)));
          return all.every((t) => t.status !== 'QUEUED') ? all.map((t) => t.status) : undefined;
        },
        { timeoutMs: 8000, message: 'drained after the lock holder died' },
      );
      expect(statuses).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED']);
    } finally {
      await worker.close();
      await holder.end().catch(() => undefined);
    }
  });

  it('cancels a removed senior’s ticket still only in Redis when it is allocated; the removal waits for an allocation holding the term', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 1 });
    const [leaving, staying] = await Promise.all([0, 1].map(() => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) })));
    const gone = await apply(stack, leaving, course);
    const kept = await apply(stack, staying, course);
    expect((await ticket(stack, leaving, gone.ticketId)).status).toBe('QUEUED');

    // A stand-in for an allocation under way in the term: the removal waits for it to commit, so
    // that whatever it decides for her is read, and cancelled, by the removal.
    const holder = new Client({ connectionString: stack.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(5, hashtext($1))', [term.id]);
      let answered = false;
      const removal = http(stack)
        .delete(`/api/v1/users/${leaving.user.id}`)
        .set(admin.auth)
        .then((response) => {
          answered = true;
          return response;
        });
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(answered).toBe(false);
      await holder.query('COMMIT');
      expect((await removal).status).toBe(200);
    } finally {
      await holder.end();
    }

    const worker = await startExtraWorker(stack);
    try {
      expect(await decided(stack, admin, gone.ticketId)).toMatchObject({ status: 'CANCELLED', note: 'cancelled as the account was removed' });
      expect(await decided(stack, staying, kept.ticketId)).toMatchObject({ status: 'CONFIRMED' });
    } finally {
      await worker.close();
    }
  });

  it('tells a senior when an administrator cancels her ticket while it is queued, and not when she cancels it herself', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 3 });
    const [asked, herself] = await Promise.all([0, 1].map(() => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) })));
    const byAdmin = await apply(stack, asked, course);
    const byOwner = await apply(stack, herself, course);
    await http(stack).delete(`/api/v1/enrolment/applications/${byAdmin.ticketId}`).set(admin.auth).expect(200);
    await http(stack).delete(`/api/v1/enrolment/applications/${byOwner.ticketId}`).set(herself.auth).expect(200);
    // Asked again by its owner, the first asker (the administrator) is kept.
    await http(stack).delete(`/api/v1/enrolment/applications/${byAdmin.ticketId}`).set(asked.auth).expect(200);
    // Read from Redis, a ticket asked to be cancelled already answers CANCELLED; wait for its row.
    const stored = (user: TestUser, ticketId: string) =>
      waitFor(async () => ((await ticket(stack, user, ticketId)).decidedAt ? ticket(stack, user, ticketId) : undefined));
    const worker = await startExtraWorker(stack);
    try {
      expect(await stored(asked, byAdmin.ticketId)).toMatchObject({ status: 'CANCELLED', note: 'cancelled by an administrator' });
      expect(await stored(herself, byOwner.ticketId)).toMatchObject({ status: 'CANCELLED', note: 'cancelled before allocation' });
      const told = (await notificationRows(stack, asked.user.id)).filter((row) => row.channel === 'INBOX');
      expect(told.map((row) => [row.kind, row.link])).toEqual([['SEAT_CANCELLED', `/applications/${byAdmin.ticketId}`]]);
      expect(await notificationRows(stack, herself.user.id)).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it('cancels, when it is allocated, a ticket accepted for a course cancelled before that', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 3 });
    const applicant = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) });
    const accepted = await apply(stack, applicant, course);
    await http(stack).post(`/api/v1/enrolment/courses/${course.id}/cancel`).set(admin.auth).send({ reason: '教室维修' }).expect(200);
    expect((await ticket(stack, applicant, accepted.ticketId)).status).toBe('QUEUED');
    const worker = await startExtraWorker(stack);
    try {
      expect(await decided(stack, applicant, accepted.ticketId)).toMatchObject({ status: 'CANCELLED', note: 'cancelled as the course was cancelled' });
      const told = (await notificationRows(stack, applicant.user.id)).filter((row) => row.channel === 'INBOX');
      expect(told.map((row) => row.kind)).toEqual(['SEAT_CANCELLED']);
    } finally {
      await worker.close();
    }
  });

  it('cancels a ticket another API process accepted after the closing was brought forward, from its older copy of the term', async () => {
    // The other process starts first, so its warm-up at start has no copy of this term.
    const other = await createTestStack({ shareWith: stack });
    let late: { ticketId: string };
    let early: { ticketId: string };
    const [first, second] = await Promise.all([0, 1].map(() => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) })));
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 5 });
    try {
      early = await apply(other, first, course);
      const closesAt = new Date(Date.now() + 1000);
      await http(stack).patch(`/api/v1/enrolment/terms/${term.id}`).set(admin.auth).send({ closesAt: closesAt.toISOString() }).expect(200);
      await waitFor(() => Date.now() > closesAt.getTime() + 50, { timeoutMs: 5000, message: 'term closed' });
      const refused = await http(stack).post('/api/v1/enrolment/applications').set(second.auth).send({ courseId: course.id }).expect(409);
      expect(refused.body.code).toBe('ENROLMENT_CLOSED');
      // Its copy, read before the change, still says open (and is served while it refreshes).
      late = await apply(other, second, course);
    } finally {
      await other.close();
    }

    const worker = await startExtraWorker(stack);
    try {
      expect(await decided(stack, first, early.ticketId)).toMatchObject({ status: 'CONFIRMED' });
      expect(await decided(stack, second, late.ticketId)).toMatchObject({ status: 'CANCELLED', reason: null, note: 'accepted outside the enrolment window' });
      // She was told it was accepted; she is told it did not count.
      const told = (await notificationRows(stack, second.user.id)).filter((row) => row.channel === 'INBOX');
      expect(told.map(({ kind, link }) => ({ kind, link }))).toEqual([{ kind: 'SEAT_CANCELLED', link: `/applications/${late.ticketId}` }]);
    } finally {
      await worker.close();
    }
  });
});
