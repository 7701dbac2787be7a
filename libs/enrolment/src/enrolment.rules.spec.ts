import { createHmac } from 'node:crypto';
import { ageOn } from '@app/platform';
import { AllocationState, decideTicket, drawOrder, reopenedBy, type SlotCourse, slotsOverlap, STAFF_CANCEL_NOTE } from './enrolment.rules';
import { CourseMode, RejectReason, TicketStatus } from './enrolment.types';

const course = (id: string, over: Partial<SlotCourse> = {}): SlotCourse => ({
  id,
  capacity: 1,
  mode: CourseMode.FIRST_COME,
  weekday: 1,
  startTime: '09:00',
  endTime: '10:00',
  drawn: false,
  ...over,
});

const ticket = (id: string, courseId: string, seniorId: string) => ({ ticketId: id, courseId, seniorId, cancelRequested: null });

describe('enrolment rules', () => {
  it('sees a clash only on the same weekday with intersecting hours', () => {
    expect(slotsOverlap(course('a'), course('b', { startTime: '09:59', endTime: '11:00' }))).toBe(true);
    expect(slotsOverlap(course('a'), course('b', { startTime: '10:00', endTime: '11:00' }))).toBe(false);
    expect(slotsOverlap(course('a'), course('b', { weekday: 2 }))).toBe(false);
    expect(slotsOverlap(course('a', { startTime: '08:00', endTime: '12:00' }), course('b'))).toBe(true);
  });

  it('reopens, once a course is cancelled, only the applications its place had refused', () => {
    const cancelled = course('a'); // Monday 9:00–10:00
    const courses = new Map([
      ['a', cancelled],
      ['b', course('b', { startTime: '09:30', endTime: '10:30' })], // overlaps a
      ['c', course('c', { weekday: 3 })],
      ['d', course('d', { weekday: 4 })],
      ['e', course('e', { startTime: '09:45', endTime: '11:00' })], // overlaps a and b
      ['x', course('x', { weekday: 5 })], // itself cancelled
    ]);
    const state = new AllocationState({ maxCoursesPerSenior: 2, minAge: 60 }, courses);
    // After the cancellation: s1 holds c; s2 holds c and d (she lost a waiting place in a); s3 holds b.
    state.add('s1', { ticketId: 'h1', courseId: 'c', status: TicketStatus.CONFIRMED });
    state.add('s2', { ticketId: 'h2', courseId: 'c', status: TicketStatus.CONFIRMED });
    state.add('s2', { ticketId: 'h3', courseId: 'd', status: TicketStatus.WAITLISTED });
    state.add('s3', { ticketId: 'h4', courseId: 'b', status: TicketStatus.CONFIRMED });
    const lost = [
      { seniorId: 's1', status: TicketStatus.CONFIRMED },
      { seniorId: 's2', status: TicketStatus.WAITLISTED },
      { seniorId: 's3', status: TicketStatus.CONFIRMED },
      { seniorId: 's4', status: TicketStatus.PENDING_DRAW },
    ];
    const rejected = (id: string, seniorId: string, courseId: string, reason: RejectReason) => ({ ticketId: id, seniorId, courseId, reason });
    const all = [
      rejected('r1', 's1', 'b', RejectReason.SCHEDULE_CLASH), // a was her clash: reopened
      rejected('r2', 's1', 'd', RejectReason.TERM_LIMIT_REACHED), // a counted: reopened
      rejected('r3', 's1', 'x', RejectReason.TERM_LIMIT_REACHED), // x is cancelled too
      rejected('r4', 's2', 'b', RejectReason.SCHEDULE_CLASH), // she only waited for a: no clash came from it
      rejected('r5', 's2', 'e', RejectReason.TERM_LIMIT_REACHED), // still at the limit with c and d
      rejected('r6', 's3', 'e', RejectReason.SCHEDULE_CLASH), // b, still hers, overlaps e
      rejected('r7', 's4', 'b', RejectReason.SCHEDULE_CLASH), // an undrawn place clashed with nothing
      rejected('r8', 's5', 'b', RejectReason.SCHEDULE_CLASH), // lost nothing in a
      rejected('r9', 's1', 'c', RejectReason.TERM_LIMIT_REACHED), // she holds c again
    ];
    const isCancelled = (id: string): boolean => id === 'x';
    expect(reopenedBy(cancelled, lost, all, state, isCancelled).map((t) => t.ticketId)).toEqual(['r1', 'r2']);
  });

  it('counts completed years of age', () => {
    expect(ageOn('1960-06-15', new Date('2020-06-14T23:00:00Z'))).toBe(59);
    expect(ageOn('1960-06-15', new Date('2020-06-15T00:00:00Z'))).toBe(60);
  });

  it('confirms while seats remain, then waitlists, and rejects by age, limit and clash in that order', () => {
    const state = new AllocationState(
      { maxCoursesPerSenior: 2, minAge: 60 },
      new Map([
        ['a', course('a')],
        ['b', course('b', { startTime: '09:30', endTime: '10:30', capacity: 5 })],
        ['c', course('c', { weekday: 3, capacity: 5 })],
        ['d', course('d', { weekday: 4, capacity: 5 })],
      ]),
    );
    expect(decideTicket(state, ticket('1', 'a', 's1'), 70).status).toBe(TicketStatus.CONFIRMED);
    expect(decideTicket(state, ticket('2', 'a', 's2'), 70).status).toBe(TicketStatus.WAITLISTED);
    expect(decideTicket(state, ticket('3', 'b', 's1'), 70).reason).toBe(RejectReason.SCHEDULE_CLASH);
    expect(decideTicket(state, ticket('4', 'b', 's2'), 70).status).toBe(TicketStatus.CONFIRMED);
    expect(decideTicket(state, ticket('5', 'c', 's2'), 70).reason).toBe(RejectReason.TERM_LIMIT_REACHED);
    expect(decideTicket(state, ticket('6', 'c', 's3'), 59).reason).toBe(RejectReason.NOT_ELIGIBLE);
    expect(decideTicket(state, ticket('7', 'c', 's4'), null).reason).toBe(RejectReason.NOT_ELIGIBLE);
    expect(decideTicket(state, ticket('8', 'a', 's1'), 70)).toMatchObject({
      status: TicketStatus.CANCELLED,
      note: expect.stringContaining('duplicate') as unknown,
    });
    expect(decideTicket(state, { ...ticket('9', 'd', 's5'), cancelRequested: 'OWNER' }, 70)).toMatchObject({
      status: TicketStatus.CANCELLED,
      note: 'cancelled before allocation',
    });
    expect(decideTicket(state, { ...ticket('10', 'd', 's6'), cancelRequested: 'STAFF' }, 70)).toMatchObject({
      status: TicketStatus.CANCELLED,
      note: STAFF_CANCEL_NOTE,
    });
    expect(state.confirmed.get('a')).toBe(1);
  });

  it('holds lottery tickets for the draw until the course is drawn', () => {
    const state = new AllocationState({ maxCoursesPerSenior: 1, minAge: 0 }, new Map([['l', course('l', { mode: CourseMode.LOTTERY })]]));
    expect(decideTicket(state, ticket('1', 'l', 's1'), 70).status).toBe(TicketStatus.PENDING_DRAW);
    state.courses.set('l', course('l', { mode: CourseMode.LOTTERY, drawn: true }));
    expect(decideTicket(state, ticket('2', 'l', 's2'), 70).status).toBe(TicketStatus.CONFIRMED);
  });

  it('orders a draw by the HMAC of each ticket id under the seed, independent of input order', () => {
    const seed = 'ab'.repeat(32);
    const ids = ['3f1c0d7e-0000-4000-8000-000000000001', '3f1c0d7e-0000-4000-8000-000000000002', '3f1c0d7e-0000-4000-8000-000000000003'];
    const mac = (id: string) => createHmac('sha256', Buffer.from(seed, 'hex')).update(id).digest('hex');
    const expected = [...ids].sort((a, b) => mac(a).localeCompare(mac(b)));
    expect(drawOrder(seed, ids)).toEqual(expected);
    expect(drawOrder(seed, [...ids].reverse())).toEqual(expected);
  });
});
