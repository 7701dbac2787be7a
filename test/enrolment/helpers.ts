import { createHmac } from 'node:crypto';
import { http, type TestStack, type TestUser, waitFor } from '@app/testing';

const HOUR_MS = 60 * 60 * 1000;

export interface Term {
  id: string;
  opensAt?: string;
  maxCoursesPerSenior: number;
  minAge: number;
}

export interface Course {
  id: string;
  termId: string;
  capacity: number;
  weekday: number;
  startTime: string;
  endTime: string;
  mode: 'FIRST_COME' | 'LOTTERY';
}

export interface Ticket {
  ticketId: string;
  sequence: number;
  courseId: string;
  status: string;
  reason: string | null;
  note: string | null;
  waitlistPosition: number | null;
  acceptedAt: string;
  decidedAt: string | null;
}

/** An open term (opened an hour ago) unless the window is given. */
export async function createTerm(
  stack: TestStack,
  admin: TestUser,
  options: { maxCoursesPerSenior?: number; minAge?: number; opensAt?: Date; closesAt?: Date } = {},
): Promise<Term> {
  const response = await http(stack)
    .post('/api/v1/enrolment/terms')
    .set(admin.auth)
    .send({
      name: '测试学期',
      opensAt: (options.opensAt ?? new Date(Date.now() - HOUR_MS)).toISOString(),
      closesAt: (options.closesAt ?? new Date(Date.now() + 24 * HOUR_MS)).toISOString(),
      maxCoursesPerSenior: options.maxCoursesPerSenior ?? 3,
      minAge: options.minAge ?? 55,
    })
    .expect(201);
  return response.body as Term;
}

export async function createCourse(
  stack: TestStack,
  admin: TestUser,
  term: Term,
  options: { capacity?: number; weekday?: number; startTime?: string; endTime?: string; mode?: 'FIRST_COME' | 'LOTTERY'; title?: string } = {},
): Promise<Course> {
  const response = await http(stack)
    .post('/api/v1/enrolment/courses')
    .set(admin.auth)
    .send({
      termId: term.id,
      title: options.title ?? '书法',
      campus: '杭州市上城区老年大学',
      capacity: options.capacity ?? 10,
      weekday: options.weekday ?? 1,
      startTime: options.startTime ?? '09:00',
      endTime: options.endTime ?? '10:30',
      mode: options.mode ?? 'FIRST_COME',
    })
    .expect(201);
  return response.body as Course;
}

/** Applies and expects 202; returns the accepted ticket. */
export async function apply(stack: TestStack, senior: TestUser, course: Course): Promise<{ ticketId: string; sequence: number; position: number | null }> {
  const response = await http(stack).post('/api/v1/enrolment/applications').set(senior.auth).send({ courseId: course.id }).expect(202);
  return response.body as { ticketId: string; sequence: number; position: number | null };
}

export async function ticket(stack: TestStack, user: TestUser, ticketId: string): Promise<Ticket> {
  const response = await http(stack).get(`/api/v1/enrolment/applications/${ticketId}`).set(user.auth).expect(200);
  return response.body as Ticket;
}

/** Waits until the worker has decided the ticket (any status but QUEUED). */
export async function decided(stack: TestStack, user: TestUser, ticketId: string, timeoutMs = 10_000): Promise<Ticket> {
  return waitFor(
    async () => {
      const current = await ticket(stack, user, ticketId);
      return current.status === 'QUEUED' ? undefined : current;
    },
    { timeoutMs, message: `ticket ${ticketId} decided` },
  );
}

/** The draw order as the published algorithm states it, computed independently of the server. */
export function recomputeDrawOrder(seedHex: string, ticketIds: string[]): string[] {
  const key = Buffer.from(seedHex, 'hex');
  const macs = new Map(ticketIds.map((id) => [id, createHmac('sha256', key).update(Buffer.from(id, 'utf8')).digest('hex')]));
  return [...ticketIds].sort((a, b) => ((macs.get(a) ?? '') < (macs.get(b) ?? '') ? -1 : 1));
}
