/**
 * Proves the lottery: tickets wait as PENDING_DRAW, no draw before the term closes, and the
 * published draw is recomputed here from its seed and the ticket ids with this file's own HMAC
 * code, together with every outcome the rules give in that order.
 */
import { birthDateForAge, createStackWithAdmin, createUser, http, type TestStack, type TestUser, waitFor } from '@app/testing';
import { apply, createCourse, createTerm, decided, recomputeDrawOrder, ticket } from './helpers';

describe('enrolment lottery', () => {
  let stack: TestStack;
  let admin: TestUser;
  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin({ worker: true })));
  afterAll(async () => stack.close());

  it('draws after close in the published order, applying age, term limit and clash rules in draw order', async () => {
    const eligible = await Promise.all(Array.from({ length: 6 }, () => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) })));
    const young = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(56) });
    const clasher = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(66) });
    const busy = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(75) });
    const closesAt = new Date(Date.now() + 6000);
    const term = await createTerm(stack, admin, { maxCoursesPerSenior: 2, minAge: 60, closesAt });
    const choir = await createCourse(stack, admin, term, { capacity: 2, weekday: 3, startTime: '14:00', endTime: '16:00', mode: 'LOTTERY', title: '合唱' });
    const clashing = await createCourse(stack, admin, term, { capacity: 5, weekday: 3, startTime: '15:00', endTime: '16:00' });
    const [first, second] = [await createCourse(stack, admin, term, { weekday: 1 }), await createCourse(stack, admin, term, { weekday: 2 })];

    expect((await decided(stack, clasher, (await apply(stack, clasher, clashing)).ticketId)).status).toBe('CONFIRMED');
    expect((await decided(stack, busy, (await apply(stack, busy, first)).ticketId)).status).toBe('CONFIRMED');
    expect((await decided(stack, busy, (await apply(stack, busy, second)).ticketId)).status).toBe('CONFIRMED');
    const applicants = [...eligible, young, clasher, busy];
    const tickets = new Map<string, TestUser>();
    for (const user of applicants) tickets.set((await apply(stack, user, choir)).ticketId, user);
    for (const [id, user] of tickets) expect((await decided(stack, user, id)).status).toBe('PENDING_DRAW');
    // The course list counts them as in the draw, so nobody reads "no applications yet".
    const choirCounts = async (): Promise<unknown> => {
      const list = await http(stack).get(`/api/v1/enrolment/courses?termId=${term.id}`).expect(200);
      const { confirmedCount, waitlistCount, pendingDrawCount } = list.body.items.find((c: { id: string }) => c.id === choir.id);
      return { confirmedCount, waitlistCount, pendingDrawCount };
    };
    await waitFor(async () => ((await choirCounts()) as { pendingDrawCount: number }).pendingDrawCount === tickets.size || undefined, {
      timeoutMs: 5000,
      message: 'the choir counts its applications in the draw',
    });
    expect(await choirCounts()).toEqual({ confirmedCount: 0, waitlistCount: 0, pendingDrawCount: tickets.size });

    const early = await http(stack).post(`/api/v1/enrolment/courses/${choir.id}/draw`).set(admin.auth);
    // The sweep may not draw either before close, so the only acceptable early answer is 409.
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('TERM_STILL_OPEN');
    await http(stack).get(`/api/v1/enrolment/courses/${choir.id}/draw`).expect(404);
    const notLottery = await http(stack).post(`/api/v1/enrolment/courses/${first.id}/draw`).set(admin.auth).expect(409);
    expect(notLottery.body.code).toBe('NOT_A_LOTTERY');
    await http(stack)
      .post(`/api/v1/enrolment/courses/${choir.id}/draw`)
      .set(tickets.values().next().value?.auth ?? {})
      .expect(403);

    await waitFor(() => Date.now() > closesAt.getTime() + 50, { timeoutMs: 8000, message: 'term closed' });
    const drawn = await http(stack).post(`/api/v1/enrolment/courses/${choir.id}/draw`).set(admin.auth).expect(200);
    const published = await http(stack).get(`/api/v1/enrolment/courses/${choir.id}/draw`).expect(200);
    expect(published.body).toEqual(drawn.body);
    const { seed, algorithm, order } = published.body as { seed: string; algorithm: string; order: string[] };
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(algorithm).toContain('HMAC-SHA256');
    expect([...order].sort()).toEqual([...tickets.keys()].sort());
    expect(order).toEqual(recomputeDrawOrder(seed, [...tickets.keys()]));

    // The expected outcomes, computed here from the draw order and what each senior holds.
    let seats = choir.capacity;
    let waitPosition = 0;
    for (const id of order) {
      const user = tickets.get(id) as TestUser;
      const actual = await ticket(stack, user, id);
      if (user === young) expect(actual).toMatchObject({ status: 'REJECTED', reason: 'NOT_ELIGIBLE' });
      else if (user === clasher) expect(actual).toMatchObject({ status: 'REJECTED', reason: 'SCHEDULE_CLASH' });
      else if (user === busy) expect(actual).toMatchObject({ status: 'REJECTED', reason: 'TERM_LIMIT_REACHED' });
      else if (seats > 0) {
        seats -= 1;
        expect(actual).toMatchObject({ status: 'CONFIRMED', reason: null });
      } else {
        waitPosition += 1;
        expect(actual).toMatchObject({ status: 'WAITLISTED', waitlistPosition: waitPosition });
      }
    }
    expect(waitPosition).toBe(4);

    // Drawing again keeps the published draw.
    const again = await http(stack).post(`/api/v1/enrolment/courses/${choir.id}/draw`).set(admin.auth).expect(200);
    expect(again.body).toEqual(published.body);
    expect(await choirCounts()).toEqual({ confirmedCount: 2, waitlistCount: 4, pendingDrawCount: 0 });
  }, 20_000);

  it('cancels in the draw a ticket whose account was removed without giving it up', async () => {
    const [gone, kept] = await Promise.all([0, 1].map(() => createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) })));
    const closesAt = new Date(Date.now() + 3000);
    const term = await createTerm(stack, admin, { closesAt });
    const choir = await createCourse(stack, admin, term, { capacity: 1, mode: 'LOTTERY' });
    const goneTicket = (await apply(stack, gone, choir)).ticketId;
    const keptTicket = (await apply(stack, kept, choir)).ticketId;
    expect((await decided(stack, gone, goneTicket)).status).toBe('PENDING_DRAW');
    expect((await decided(stack, kept, keptTicket)).status).toBe('PENDING_DRAW');
    // As an account removed before removals gave up its tickets: the row only.
    await stack.dataSource.query(`UPDATE users SET removed_at = now() WHERE id = $1`, [gone.user.id]);

    await waitFor(() => Date.now() > closesAt.getTime() + 50, { timeoutMs: 8000, message: 'term closed' });
    const drawn = await http(stack).post(`/api/v1/enrolment/courses/${choir.id}/draw`).set(admin.auth).expect(200);
    expect([...(drawn.body as { order: string[] }).order].sort()).toEqual([goneTicket, keptTicket].sort());
    expect(await ticket(stack, admin, goneTicket)).toMatchObject({ status: 'CANCELLED', reason: null, note: 'cancelled as the account was removed' });
    expect(await ticket(stack, kept, keptTicket)).toMatchObject({ status: 'CONFIRMED' });
  }, 20_000);
});
