/**
 * Proves that an accepted ticket is durable and readable before any worker runs: it answers as
 * QUEUED from Redis, can be cancelled while queued, and is allocated (or cancelled) correctly
 * once a worker starts later.
 */
import { adminOf, birthDateForAge, createTestStack, createUser, http, startExtraWorker, type TestStack, type TestUser } from '@app/testing';
import { apply, createCourse, createTerm, decided, ticket } from './helpers';

describe('enrolment tickets before allocation', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => {
    stack = await createTestStack();
    admin = await adminOf(stack);
  });
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
});
