/**
 * Proves the enrolment contract over HTTP with the real worker: validation of terms and courses,
 * the accept path (202, repeats, Idempotency-Key, closed window, rate limit), every outcome and
 * rejection reason, ticket visibility, cancellation with promotion and live status events.
 */
import { birthDateForAge, createStackWithAdmin, createUser, http, openSse, type TestStack, type TestUser, waitFor } from '@app/testing';
import { notificationRows } from '../notifications/helpers';
import { apply, createCourse, createTerm, decided, ticket } from './helpers';

const HOUR_MS = 60 * 60 * 1000;

describe('enrolment contract', () => {
  // Other test files run alongside on two cores; a worker's wait may take longer than Jest's 5 s default.
  jest.setTimeout(20_000);
  let stack: TestStack;
  let admin: TestUser;
  const senior = (): Promise<TestUser> => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(68) });

  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin({ worker: true, config: { enrolmentApplyPerMinute: 8 } })));
  afterAll(async () => stack.close());

  it('validates terms and courses and lets only administrators create them', async () => {
    const now = Date.now();
    const goodTerm = {
      name: '春季',
      opensAt: new Date(now).toISOString(),
      closesAt: new Date(now + HOUR_MS).toISOString(),
      maxCoursesPerSenior: 2,
      minAge: 55,
    };
    const post = (path: string, body: object, user: TestUser = admin) => http(stack).post(`/api/v1/enrolment/${path}`).set(user.auth).send(body);
    expect((await post('terms', { ...goodTerm, closesAt: goodTerm.opensAt })).status).toBe(400);
    expect((await post('terms', { ...goodTerm, maxCoursesPerSenior: 0 })).status).toBe(400);
    expect((await post('terms', { ...goodTerm, opensAt: '2027-02-30' })).status).toBe(400);
    expect((await post('terms', { ...goodTerm, extra: 1 })).status).toBe(400);
    const someone = await senior();
    expect((await post('terms', goodTerm, someone)).status).toBe(403);
    expect((await http(stack).post('/api/v1/enrolment/terms').send(goodTerm)).status).toBe(401);
    const term = (await post('terms', goodTerm).expect(201)).body as { id: string };

    const goodCourse = {
      termId: term.id,
      title: '太极拳',
      campus: '社区老年大学',
      capacity: 20,
      weekday: 3,
      startTime: '07:30',
      endTime: '09:00',
      mode: 'FIRST_COME',
    };
    for (const bad of [
      { capacity: 0 },
      { capacity: 1001 },
      { weekday: 0 },
      { weekday: 8 },
      { startTime: '7:30' },
      { endTime: '24:00' },
      { startTime: '10:00', endTime: '09:00' },
      { startTime: '09:00', endTime: '09:00' },
      { mode: 'RANDOM' },
      { title: '   ' },
      { confirmedCount: 3 },
    ]) {
      const response = await post('courses', { ...goodCourse, ...bad });
      expect([bad, response.status]).toEqual([bad, 400]);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await post('courses', { ...goodCourse, termId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await post('courses', goodCourse, someone)).status).toBe(403);
    const course = (await post('courses', goodCourse).expect(201)).body;
    expect(course).toMatchObject({ ...goodCourse, confirmedCount: 0, waitlistCount: 0, pendingDrawCount: 0, id: expect.any(String) });
    const list = await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200);
    expect(list.body).toEqual({ items: [course], total: 1 });
    expect((await http(stack).get('/api/v1/enrolment/courses?limit=201')).status).toBe(400);
  });

  it('accepts with 202 and a strictly increasing sequence, answers a repeat with 200 and the same ticket, and confirms', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 5 });
    const [a, b] = [await senior(), await senior()];
    const first = await http(stack).post('/api/v1/enrolment/applications').set(a.auth).send({ courseId: course.id }).expect(202);
    expect(first.body).toEqual({ ticketId: expect.any(String), sequence: 1, courseId: course.id, status: 'QUEUED', position: expect.any(Number) });
    expect(first.body.position).toBeGreaterThanOrEqual(1);
    const second = await apply(stack, b, course);
    expect(second.sequence).toBe(2);
    const repeat = await http(stack).post('/api/v1/enrolment/applications').set(a.auth).send({ courseId: course.id }).expect(200);
    expect(repeat.body.ticketId).toBe(first.body.ticketId);
    expect(repeat.body.sequence).toBe(1);
    const done = await decided(stack, a, first.body.ticketId);
    expect(done).toMatchObject({ status: 'CONFIRMED', reason: null, sequence: 1, courseId: course.id, waitlistPosition: null });
    const afterDecision = await http(stack).post('/api/v1/enrolment/applications').set(a.auth).send({ courseId: course.id }).expect(200);
    expect(afterDecision.body).toMatchObject({ ticketId: first.body.ticketId, status: 'CONFIRMED' });
    const rows: { count: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS count FROM enrolment_applications WHERE course_id = $1`, [
      course.id,
    ]);
    expect(rows[0]?.count).toBe(2);
    await waitFor(
      async () => {
        const list = await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200);
        return list.body.items[0].confirmedCount === 2;
      },
      { message: 'counts cache shows two confirmed' },
    );
  });

  it('replays an Idempotency-Key with the first response and refuses it for another body', async () => {
    const term = await createTerm(stack, admin);
    const [one, two] = [await createCourse(stack, admin, term), await createCourse(stack, admin, term, { weekday: 2 })];
    const user = await senior();
    const send = (courseId: string) => http(stack).post('/api/v1/enrolment/applications').set(user.auth).set('Idempotency-Key', 'apply-1').send({ courseId });
    const responses = await Promise.all([send(one.id), send(one.id), send(one.id)]);
    const first = responses.find((r) => r.status === 202);
    expect(first).toBeDefined();
    for (const response of responses) {
      expect(response.status).toBe(202);
      expect(response.body).toEqual(first?.body);
    }
    await decided(stack, user, first?.body.ticketId as string);
    const later = await send(one.id).expect(202);
    expect(later.body).toEqual(first?.body);
    const reused = await send(two.id).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows: { count: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS count FROM enrolment_applications WHERE senior_id = $1`, [
      user.user.id,
    ]);
    expect(rows[0]?.count).toBe(1);
  });

  it('refuses outside the term window with 409 ENROLMENT_CLOSED, an unknown course with 404, a non-senior with 403', async () => {
    const future = await createTerm(stack, admin, { opensAt: new Date(Date.now() + HOUR_MS), closesAt: new Date(Date.now() + 2 * HOUR_MS) });
    const past = await createTerm(stack, admin, { opensAt: new Date(Date.now() - 2 * HOUR_MS), closesAt: new Date(Date.now() - HOUR_MS) });
    const user = await senior();
    for (const term of [future, past]) {
      const course = await createCourse(stack, admin, term);
      const response = await http(stack).post('/api/v1/enrolment/applications').set(user.auth).send({ courseId: course.id }).expect(409);
      expect(response.body.code).toBe('ENROLMENT_CLOSED');
    }
    await http(stack).post('/api/v1/enrolment/applications').set(user.auth).send({ courseId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    await http(stack).post('/api/v1/enrolment/applications').set(user.auth).send({ courseId: 'nope' }).expect(400);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    const open = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, open);
    await http(stack).post('/api/v1/enrolment/applications').set(volunteer.auth).send({ courseId: course.id }).expect(403);
  });

  it('decides CONFIRMED, WAITLISTED and every rejection reason as serving in sequence order would', async () => {
    const term = await createTerm(stack, admin, { maxCoursesPerSenior: 2, minAge: 60 });
    const small = await createCourse(stack, admin, term, { capacity: 1, weekday: 1, startTime: '09:00', endTime: '10:00' });
    const overlapping = await createCourse(stack, admin, term, { capacity: 5, weekday: 1, startTime: '09:30', endTime: '11:00' });
    const touching = await createCourse(stack, admin, term, { capacity: 5, weekday: 1, startTime: '10:00', endTime: '11:00' });
    const other = await createCourse(stack, admin, term, { capacity: 5, weekday: 4 });
    const [a, b] = [await senior(), await senior()];
    const young = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(56) });

    const aSmall = await apply(stack, a, small);
    expect((await decided(stack, a, aSmall.ticketId)).status).toBe('CONFIRMED');
    const bSmall = await apply(stack, b, small);
    const bWait = await decided(stack, b, bSmall.ticketId);
    expect(bWait).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1, reason: null });
    const aClash = await decided(stack, a, (await apply(stack, a, overlapping)).ticketId);
    expect(aClash).toMatchObject({ status: 'REJECTED', reason: 'SCHEDULE_CLASH' });
    const aTouch = await decided(stack, a, (await apply(stack, a, touching)).ticketId);
    expect(aTouch.status).toBe('CONFIRMED');
    const aLimit = await decided(stack, a, (await apply(stack, a, other)).ticketId);
    expect(aLimit).toMatchObject({ status: 'REJECTED', reason: 'TERM_LIMIT_REACHED' });
    const youngTicket = await decided(stack, young, (await apply(stack, young, other)).ticketId);
    expect(youngTicket).toMatchObject({ status: 'REJECTED', reason: 'NOT_ELIGIBLE' });
    // A waitlisted course counts towards the limit but is no clash: b is waitlisted for `small`.
    expect((await decided(stack, b, (await apply(stack, b, overlapping)).ticketId)).status).toBe('CONFIRMED');
    expect((await decided(stack, b, (await apply(stack, b, other)).ticketId)).reason).toBe('TERM_LIMIT_REACHED');
    // After a rejection the senior may apply again for that course and gets a new ticket.
    const again = await http(stack).post('/api/v1/enrolment/applications').set(young.auth).send({ courseId: other.id }).expect(202);
    expect(again.body.ticketId).not.toBe(youngTicket.ticketId);

    const mine = await http(stack).get('/api/v1/enrolment/applications?mine=true').set(a.auth).expect(200);
    expect(mine.body.total).toBe(4);
    expect(mine.body.items.map((t: { status: string }) => t.status).sort()).toEqual(['CONFIRMED', 'CONFIRMED', 'REJECTED', 'REJECTED']);
    const counts: { confirmed_count: number; capacity: number }[] = await stack.dataSource.query(
      `SELECT confirmed_count, capacity FROM enrolment_courses WHERE id = $1`,
      [small.id],
    );
    expect(counts[0]).toEqual({ confirmed_count: 1, capacity: 1 });
  });

  it('shows a ticket to its owner and administrators only', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term);
    const [owner, stranger] = [await senior(), await senior()];
    const accepted = await apply(stack, owner, course);
    await http(stack).get(`/api/v1/enrolment/applications/${accepted.ticketId}`).set(stranger.auth).expect(404);
    await http(stack).delete(`/api/v1/enrolment/applications/${accepted.ticketId}`).set(stranger.auth).expect(404);
    await http(stack).get(`/api/v1/enrolment/applications/${accepted.ticketId}`).set(admin.auth).expect(200);
    await http(stack).get(`/api/v1/enrolment/applications/${accepted.ticketId}`).expect(401);
    const sse = openSse(`${stack.baseUrl}/api/v1/enrolment/applications/${accepted.ticketId}/events`, stranger.auth);
    const head = await sse.ready;
    sse.close();
    expect(head.status).toBe(404);
    await http(stack).get(`/api/v1/enrolment/courses/${course.id}/roster`).set(owner.auth).expect(403);
  });

  it('promotes the first still-eligible waitlisted senior when a seat is cancelled, and streams the change', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 1, weekday: 2, startTime: '09:00', endTime: '10:00' });
    const clashing = await createCourse(stack, admin, term, { capacity: 5, weekday: 2, startTime: '09:30', endTime: '10:30' });
    const [holder, skipped, next, last] = [await senior(), await senior(), await senior(), await senior()];
    const held = await apply(stack, holder, course);
    expect((await decided(stack, holder, held.ticketId)).status).toBe('CONFIRMED');
    const skippedTicket = await apply(stack, skipped, course);
    expect((await decided(stack, skipped, skippedTicket.ticketId)).waitlistPosition).toBe(1);
    const nextTicket = await apply(stack, next, course);
    expect((await decided(stack, next, nextTicket.ticketId)).waitlistPosition).toBe(2);
    const lastTicket = await apply(stack, last, course);
    expect((await decided(stack, last, lastTicket.ticketId)).waitlistPosition).toBe(3);
    // The first in line takes a confirmed seat in an overlapping slot, so it is no longer eligible.
    expect((await decided(stack, skipped, (await apply(stack, skipped, clashing)).ticketId)).status).toBe('CONFIRMED');

    const sse = openSse(`${stack.baseUrl}/api/v1/enrolment/applications/${nextTicket.ticketId}/events`, next.auth);
    expect((await sse.ready).status).toBe(200);
    const current = await sse.next((e) => e.event === 'status');
    expect(JSON.parse(current.data)).toMatchObject({ ticketId: nextTicket.ticketId, status: 'WAITLISTED', waitlistPosition: 2 });

    const cancelled = await http(stack).delete(`/api/v1/enrolment/applications/${held.ticketId}`).set(holder.auth).expect(200);
    expect(cancelled.body).toMatchObject({ ticketId: held.ticketId, status: 'CANCELLED' });
    const promoted = await sse.next((e) => e.event === 'status' && JSON.parse(e.data).status === 'CONFIRMED', 8000);
    sse.close();
    expect(JSON.parse(promoted.data)).toMatchObject({ ticketId: nextTicket.ticketId, status: 'CONFIRMED' });
    expect(await ticket(stack, skipped, skippedTicket.ticketId)).toMatchObject({
      status: 'REJECTED',
      reason: 'SCHEDULE_CLASH',
      note: expect.stringContaining('promotion'),
    });
    expect(await ticket(stack, last, lastTicket.ticketId)).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    await http(stack).delete(`/api/v1/enrolment/applications/${held.ticketId}`).set(holder.auth).expect(200);
    const rejected = await http(stack).delete(`/api/v1/enrolment/applications/${skippedTicket.ticketId}`).set(skipped.auth).expect(409);
    expect(rejected.body.code).toBe('NOT_CANCELLABLE');

    const roster = await http(stack).get(`/api/v1/enrolment/courses/${course.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.confirmed.map((t: { ticketId: string }) => t.ticketId)).toEqual([nextTicket.ticketId]);
    expect(roster.body.waitlisted.map((t: { ticketId: string }) => t.ticketId)).toEqual([lastTicket.ticketId]);
    // An administrator may cancel too; the last waitlisted senior then takes the seat.
    await http(stack).delete(`/api/v1/enrolment/applications/${nextTicket.ticketId}`).set(admin.auth).expect(200);
    await waitFor(async () => (await ticket(stack, last, lastTicket.ticketId)).status === 'CONFIRMED', { message: 'second promotion' });
    // The holder may apply again after cancelling, and joins at the end of the line.
    const reapplied = await http(stack).post('/api/v1/enrolment/applications').set(holder.auth).send({ courseId: course.id }).expect(202);
    expect((await decided(stack, holder, reapplied.body.ticketId)).status).toBe('WAITLISTED');
  });

  it('gives up a removed senior’s seats and places in the removal’s own transaction: the next in line takes each seat at once', async () => {
    const term = await createTerm(stack, admin);
    const full = await createCourse(stack, admin, term, { capacity: 1, weekday: 1, startTime: '09:00', endTime: '10:00' });
    const other = await createCourse(stack, admin, term, { capacity: 1, weekday: 4, startTime: '14:00', endTime: '15:00' });
    const [leaving, next, seated, behind] = [await senior(), await senior(), await senior(), await senior()];
    const seat = await apply(stack, leaving, full);
    expect((await decided(stack, leaving, seat.ticketId)).status).toBe('CONFIRMED');
    const waiting = await apply(stack, next, full);
    expect((await decided(stack, next, waiting.ticketId)).waitlistPosition).toBe(1);
    expect((await decided(stack, seated, (await apply(stack, seated, other)).ticketId)).status).toBe('CONFIRMED');
    const place = await apply(stack, leaving, other);
    expect((await decided(stack, leaving, place.ticketId)).waitlistPosition).toBe(1);
    const after = await apply(stack, behind, other);
    expect((await decided(stack, behind, after.ticketId)).waitlistPosition).toBe(2);

    await http(stack).delete(`/api/v1/users/${leaving.user.id}`).set(admin.auth).expect(200);
    // Decided in the removal's transaction, so true as soon as it answers; no worker is waited for.
    const rows: { id: string; status: string; note: string | null }[] = await stack.dataSource.query(
      `SELECT id, status, note FROM enrolment_applications WHERE id = ANY($1::uuid[])`,
      [[seat.ticketId, place.ticketId, waiting.ticketId, after.ticketId]],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of [seat.ticketId, place.ticketId]) {
      expect(byId.get(id)).toMatchObject({ status: 'CANCELLED', note: 'cancelled as the account was removed' });
    }
    expect(byId.get(waiting.ticketId)).toMatchObject({ status: 'CONFIRMED', note: 'promoted from the waiting list' });
    expect(byId.get(after.ticketId)?.status).toBe('WAITLISTED');
    expect(await ticket(stack, behind, after.ticketId)).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    const roster = await http(stack).get(`/api/v1/enrolment/courses/${full.id}/roster`).set(admin.auth).expect(200);
    expect(roster.body.confirmed.map((t: { ticketId: string }) => t.ticketId)).toEqual([waiting.ticketId]);
    // The promoted senior is told, as for any promotion; the counts follow the commit.
    const promotedKey = `seat:${waiting.ticketId}:SEAT_PROMOTED`;
    const told = new Set((await notificationRows(stack)).filter((row) => row.event_key === promotedKey).map((row) => row.addressee_id));
    expect([...told]).toEqual([next.user.id]);
    await waitFor(
      async () => {
        const listed = (await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200)).body as {
          items: { id: string; confirmedCount: number; waitlistCount: number }[];
        };
        const counted = listed.items.find((c) => c.id === other.id);
        return counted?.confirmedCount === 1 && counted.waitlistCount === 1;
      },
      { message: 'the counts without the removed senior' },
    );

    // Restored, the account gets nothing back: the seat is the promoted senior's.
    await http(stack).post(`/api/v1/users/${leaving.user.id}/restore`).set(admin.auth).send({}).expect(200);
    expect((await ticket(stack, admin, seat.ticketId)).status).toBe('CANCELLED');
    expect((await ticket(stack, next, waiting.ticketId)).status).toBe('CONFIRMED');
  });

  it('lets an administrator change a course’s title, campus and capacity: never below the seats taken, and new seats go to the waiting list at once', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 2, weekday: 6, startTime: '09:00', endTime: '10:00', title: '书法' });
    const [a, b, c, d] = [await senior(), await senior(), await senior(), await senior()];
    const tickets = [];
    for (const who of [a, b, c, d]) {
      const accepted = await apply(stack, who, course);
      tickets.push(await decided(stack, who, accepted.ticketId));
    }
    expect(tickets.map((t) => t.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'WAITLISTED']);
    const change = (body: object, as: TestUser = admin) => http(stack).patch(`/api/v1/enrolment/courses/${course.id}`).set(as.auth).send(body);
    const stored = async () =>
      (await stack.dataSource.query(`SELECT title, campus, capacity, confirmed_count AS confirmed FROM enrolment_courses WHERE id = $1`, [course.id]))[0];
    const before = await stored();

    // Refusals change nothing: below the seats taken, a slot or mode, a bad value, not an administrator.
    const below = await change({ capacity: 1, title: '书法（改）' }).expect(409);
    expect(below.body).toMatchObject({ code: 'CAPACITY_BELOW_CONFIRMED', errors: [{ field: 'capacity' }] });
    for (const body of [
      { weekday: 3 },
      { mode: 'LOTTERY' },
      { capacity: 0 },
      { capacity: 1001 },
      { capacity: 2.5 },
      { title: '  ' },
      { title: null },
      { capacity: null },
    ]) {
      expect((await change(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    await change({ title: 'x' }, a).expect(403);
    await http(stack).patch('/api/v1/enrolment/courses/7b0d3c52-7c44-4b0f-9d0e-1d1c8f0a0a99').set(admin.auth).send({ title: 'x' }).expect(404);
    expect(await stored()).toEqual(before);
    expect((await change({}).expect(200)).body).toMatchObject({ title: '书法', capacity: 2, confirmedCount: 2, waitlistCount: 2 });

    // Raised by one, with a new title: the first on the waiting list takes the seat in the same transaction.
    const changed = await change({ capacity: 3, title: ' 书法（提高班） ', campus: '笕桥分校' }).expect(200);
    expect(changed.body).toMatchObject({
      id: course.id,
      title: '书法（提高班）',
      campus: '笕桥分校',
      capacity: 3,
      confirmedCount: 3,
      waitlistCount: 1,
      weekday: 6,
    });
    expect(await stored()).toEqual({ title: '书法（提高班）', campus: '笕桥分校', capacity: 3, confirmed: 3 });
    expect(await ticket(stack, c, tickets[2]?.ticketId ?? '')).toMatchObject({ status: 'CONFIRMED', note: 'promoted from the waiting list' });
    expect(await ticket(stack, d, tickets[3]?.ticketId ?? '')).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    const listed = (await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: course.id, title: '书法（提高班）', capacity: 3, confirmedCount: 3 })]);
    // Down to the seats taken is allowed.
    expect((await change({ capacity: 3 }).expect(200)).body.capacity).toBe(3);
  });

  it('lets an administrator cancel a course: every place in it is given up and told, and it takes nothing more', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term, { capacity: 1, weekday: 5, startTime: '14:00', endTime: '15:00', title: '摄影' });
    const lottery = await createCourse(stack, admin, term, { mode: 'LOTTERY', weekday: 4, title: '合唱' });
    const [a, b, c] = [await senior(), await senior(), await senior()];
    const seated = await decided(stack, a, (await apply(stack, a, course)).ticketId);
    const waiting = await decided(stack, b, (await apply(stack, b, course)).ticketId);
    const drawing = await decided(stack, c, (await apply(stack, c, lottery)).ticketId);
    expect([seated.status, waiting.status, drawing.status]).toEqual(['CONFIRMED', 'WAITLISTED', 'PENDING_DRAW']);
    const cancel = (id: string, body: object, as: TestUser = admin) => http(stack).post(`/api/v1/enrolment/courses/${id}/cancel`).set(as.auth).send(body);

    // Refusals change nothing.
    for (const body of [{}, { reason: '  ' }, { reason: 'x'.repeat(201) }, { reason: 5 }, { reason: null }, { reason: '停开', extra: 1 }]) {
      expect((await cancel(course.id, body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    await cancel(course.id, { reason: '停开' }, a).expect(403);
    await cancel('7b0d3c52-7c44-4b0f-9d0e-1d1c8f0a0a99', { reason: '停开' }).expect(404);
    expect(await ticket(stack, a, seated.ticketId)).toMatchObject({ status: 'CONFIRMED' });

    const done = await cancel(course.id, { reason: ' 报名人数不足 ' }).expect(200);
    expect(done.body).toMatchObject({ id: course.id, cancelReason: '报名人数不足', confirmedCount: 0, waitlistCount: 0 });
    expect(Date.parse(done.body.cancelledAt as string)).toBeGreaterThan(Date.now() - 60_000);
    for (const [who, held] of [
      [a, seated],
      [b, waiting],
    ] as const) {
      expect(await ticket(stack, who, held.ticketId)).toMatchObject({ status: 'CANCELLED', reason: null, note: 'cancelled as the course was cancelled' });
    }
    const applicants = [a.user.id, b.user.id, c.user.id];
    const told = (await notificationRows(stack)).filter(
      (row) => row.kind === 'SEAT_CANCELLED' && row.channel === 'INBOX' && applicants.includes(row.addressee_id),
    );
    expect(told.map((row) => row.addressee_id).sort()).toEqual([a.user.id, b.user.id].sort());
    // Again: the course as it is, the first reason kept, nobody told twice.
    expect((await cancel(course.id, { reason: '另一个原因' }).expect(200)).body).toMatchObject({
      cancelReason: '报名人数不足',
      cancelledAt: done.body.cancelledAt,
    });
    const listed = (await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200)).body.items as { id: string }[];
    expect(listed.find((item) => item.id === course.id)).toMatchObject({ cancelReason: '报名人数不足', cancelledAt: done.body.cancelledAt });

    // It takes no application and no change.
    const late = await http(stack).post('/api/v1/enrolment/applications').set(c.auth).send({ courseId: course.id }).expect(409);
    expect(late.body.code).toBe('COURSE_CANCELLED');
    const changed = await http(stack).patch(`/api/v1/enrolment/courses/${course.id}`).set(admin.auth).send({ capacity: 5 }).expect(409);
    expect(changed.body.code).toBe('COURSE_CANCELLED');
    // The database holds it too: it stays cancelled, and gives no seat or place.
    await expect(stack.dataSource.query(`UPDATE enrolment_courses SET cancelled_at = NULL, cancel_reason = NULL WHERE id = $1`, [course.id])).rejects.toThrow(
      /stays cancelled/,
    );
    await expect(stack.dataSource.query(`UPDATE enrolment_applications SET status = 'CONFIRMED' WHERE id = $1`, [seated.ticketId])).rejects.toThrow(
      /ck_enrolment_courses_cancelled/,
    );
    await expect(stack.dataSource.query(`UPDATE enrolment_applications SET status = 'WAITLISTED' WHERE id = $1`, [waiting.ticketId])).rejects.toThrow(
      /takes no place/,
    );

    // A lottery cancelled before its draw: those in it are told, and it is never drawn.
    await cancel(lottery.id, { reason: '老师请假' }).expect(200);
    expect(await ticket(stack, c, drawing.ticketId)).toMatchObject({ status: 'CANCELLED', note: 'cancelled as the course was cancelled' });
    expect((await http(stack).post(`/api/v1/enrolment/courses/${lottery.id}/draw`).set(admin.auth).expect(409)).body.code).toBe('COURSE_CANCELLED');
  });

  it('lets an administrator change a term within what its applications were decided by', async () => {
    const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();
    const change = (id: string, body: object, as: TestUser = admin) => http(stack).patch(`/api/v1/enrolment/terms/${id}`).set(as.auth).send(body);
    const stored = async (id: string) =>
      (
        await stack.dataSource.query(
          `SELECT name, opens_at AS "opensAt", closes_at AS "closesAt", max_courses_per_senior AS "limit", min_age AS "minAge" FROM enrolment_terms WHERE id = $1`,
          [id],
        )
      )[0];

    // Not open yet: everything may change, within a window that still makes sense.
    const coming = await createTerm(stack, admin, { opensAt: new Date(Date.now() + 2 * HOUR_MS), closesAt: new Date(Date.now() + 24 * HOUR_MS) });
    const untouched = await stored(coming.id);
    for (const [body, field] of [
      [{ opensAt: inHours(-1) }, 'opensAt'],
      [{ closesAt: inHours(1) }, 'closesAt'],
      [{ closesAt: inHours(-1) }, 'closesAt'],
      [{ minAge: 121 }, 'minAge'],
      [{ maxCoursesPerSenior: null }, 'maxCoursesPerSenior'],
      [{ name: ' ' }, 'name'],
    ] as const) {
      const refused = await change(coming.id, body).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field })]);
    }
    await change(coming.id, { name: 'x' }, await senior()).expect(403);
    await http(stack).patch('/api/v1/enrolment/terms/7b0d3c52-7c44-4b0f-9d0e-1d1c8f0a0a98').set(admin.auth).send({ name: 'x' }).expect(404);
    expect(await stored(coming.id)).toEqual(untouched);
    const opensAt = inHours(1);
    const closesAt = inHours(48);
    const changed = await change(coming.id, { name: ' 2027 年春季学期 ', opensAt, closesAt, maxCoursesPerSenior: 2, minAge: 60 }).expect(200);
    expect(changed.body).toEqual({ id: coming.id, name: '2027 年春季学期', opensAt, closesAt, maxCoursesPerSenior: 2, minAge: 60 });

    // Open: its opening and rules stay (the same value is no change); the name and closing may change.
    const open = await createTerm(stack, admin, { maxCoursesPerSenior: 3 });
    for (const body of [{ minAge: 70 }, { maxCoursesPerSenior: 4 }, { opensAt: inHours(1) }]) {
      expect((await change(open.id, body).expect(409)).body.code).toBe('TERM_ALREADY_OPEN');
    }
    await expect(stack.dataSource.query(`UPDATE enrolment_terms SET min_age = 99 WHERE id = $1`, [open.id])).rejects.toMatchObject({
      driverError: expect.objectContaining({ constraint: 'ck_enrolment_terms_opened' }),
    });
    expect((await change(open.id, { maxCoursesPerSenior: 3, opensAt: open.opensAt, name: '延长的学期' }).expect(200)).body.name).toBe('延长的学期');
    // Closed early, a second later: applications are refused from then on, and the closing stays.
    const course = await createCourse(stack, admin, open);
    await change(open.id, { closesAt: new Date(Date.now() + 1500).toISOString() }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const late = await http(stack)
      .post('/api/v1/enrolment/applications')
      .set((await senior()).auth)
      .send({ courseId: course.id })
      .expect(409);
    expect(late.body.code).toBe('ENROLMENT_CLOSED');
    expect((await change(open.id, { closesAt: inHours(24) }).expect(409)).body.code).toBe('TERM_ALREADY_CLOSED');
    expect((await change(open.id, { name: '已截止的学期' }).expect(200)).body.name).toBe('已截止的学期');
  });

  it('answers a senior hammering the accept path with 429 once over the per-minute limit', async () => {
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term);
    const bot = await senior();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1)
      statuses.push((await http(stack).post('/api/v1/enrolment/applications').set(bot.auth).send({ courseId: course.id })).status);
    expect(statuses.slice(0, 8).every((s) => s === 202 || s === 200)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });
});
