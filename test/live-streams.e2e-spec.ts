/** Proves that live event streams (bed board and ticket status alike) are capped per user and per process with 429 RATE_LIMITED, and that a stream that closes frees its slot. */
import { LiveStreams } from '@app/platform';
import { birthDateForAge, createStackWithAdmin, createUser, http, openSse, type SseClient, type TestStack, type TestUser, waitFor } from '@app/testing';
import { nursingHome } from './bed-inventory/bed-fixtures';
import { apply, createCourse, createTerm } from './enrolment/helpers';

describe('live stream caps', () => {
  let stack: TestStack;
  let admin: TestUser;
  const open: SseClient[] = [];

  beforeAll(async () => ({ stack, admin } = await createStackWithAdmin({ config: { liveStreamsPerUser: 2, liveStreamsPerProcess: 3 } })));
  afterAll(async () => {
    for (const client of open) client.close();
    await stack.close();
  });

  async function stream(path: string, user: TestUser): Promise<SseClient> {
    const client = openSse(`${stack.baseUrl}${path}`, user.auth);
    open.push(client);
    expect((await client.ready).status).toBe(200);
    return client;
  }

  async function refused(path: string, user: TestUser): Promise<void> {
    const response = await http(stack).get(path).set(user.auth).set('Accept', 'text/event-stream').expect(429);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  }

  it('answers 429 past the per-user and per-process caps and frees a slot when a stream closes', async () => {
    const home = await nursingHome(stack, admin);
    const board = `/api/v1/facilities/${home.facilityId}/bed-events`;
    const term = await createTerm(stack, admin);
    const course = await createCourse(stack, admin, term);
    const senior = await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(70) });
    const ticket = await apply(stack, senior, course);
    const ticketEvents = `/api/v1/enrolment/applications/${ticket.ticketId}/events`;
    const counter = stack.app.get(LiveStreams);

    // One user: a board and a ticket stream count against the same cap of 2.
    await stream(board, admin);
    const ticketStream = await stream(ticketEvents, admin);
    await refused(board, admin);
    await refused(ticketEvents, admin);

    // The process: a third stream fills it, so a user under their own cap is refused too.
    await stream(board, home.manager);
    await refused(board, home.manager);
    await refused(ticketEvents, senior);
    expect(counter.count()).toBe(3);

    // Closing a stream frees its slot, once the server has seen the client leave.
    ticketStream.close();
    await waitFor(() => counter.count(admin.user.id) === 1, { timeoutMs: 5000, message: 'the closed stream kept its slot' });
    const again = await stream(ticketEvents, admin);
    expect(JSON.parse((await again.next((event) => event.event === 'status')).data)).toMatchObject({ ticketId: ticket.ticketId });
    await refused(board, admin);
  });
});
