/**
 * Proves graceful shutdown of the real programs: an API sent SIGTERM during an enrolment burst
 * answers every request it had already received in full, ends its live event streams, and exits
 * with code 0 within 30 s; a worker sent SIGTERM while it allocates a backlog finishes the batch
 * in hand, leaves the rest and exits with code 0 within 30 s; nothing accepted is lost.
 */
import { applications, allocatedCount, Burst, CLASHING_COURSES, openTerm, prng, verifyAllocation } from './support/enrolment';
import { expectJson, openEventStream } from './support/http';
import { birthDateForAge, createPeople, type Person, signInAdmin } from './support/people';
import { jobsOf } from './support/queues';
import { until } from './support/run';
import { FaultStack } from './support/stack';

const SHUTDOWN_LIMIT_MS = 30_000;
/** The API's drain after SIGTERM in this file: long enough to observe on a busy machine. */
const DRAIN_MS = 3_000;

describe('SIGTERM during work', () => {
  let stack: FaultStack;
  let admin: Person;
  let seniors: Person[];
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'sigterm', apis: 1, workers: 1, env: { STOP_DRAIN_MS: String(DRAIN_MS) } });
    admin = await signInAdmin(stack);
    seniors = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 300 }, (_, i) => birthDateForAge(i % 10 === 0 ? 57 : 61 + (i % 25))),
    );
  }, 60_000);
  afterAll(async () => stack?.close(), 60_000);

  it('lets the API answer its in-flight requests, end its event streams and exit 0', async () => {
    const seed = Date.now() % 1_000_000;
    const { term, courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const api = stack.api;

    // Live streams are open requests that never finish by themselves: a ticket's and a bed board's.
    const facility = await expectJson<{ id: string }>('POST', `${api.url}/api/v1/facilities`, 201, {
      auth: admin.auth,
      body: { name: '故障测试养老院', kind: 'NURSING_HOME', street: '彭埠街道' },
    });
    const [manager] = await createPeople(stack, ['MANAGER'], [birthDateForAge(45)], [facility.id]);
    // Applies during the drain, so has no application of its own in the burst.
    const [late] = await createPeople(stack, ['SENIOR'], [birthDateForAge(70)]);
    const owner = seniors[1];
    const ticket = await expectJson<{ ticketId: string }>('POST', `${api.url}/api/v1/enrolment/applications`, 202, {
      auth: owner.auth,
      body: { courseId: courses[5]?.id },
    });
    const ticketStream = await openEventStream(`${api.url}/api/v1/enrolment/applications/${ticket.ticketId}/events`, owner.auth);
    const boardStream = await openEventStream(`${api.url}/api/v1/facilities/${facility.id}/bed-events`, manager.auth);

    const list = applications(seniors, courses, 8, prng(seed));
    const burst = new Burst(list, () => api.url, 32, 20_000);
    await until(() => burst.outcomes.length >= 400, 30_000, 'the burst under way');
    const signalledAt = Date.now();
    api.signal('SIGTERM');
    // During the drain the API says it is not ready, yet still answers what reaches it, closing
    // each connection after its answer.
    let readiness = await fetch(`${api.url}/health/ready`);
    while (readiness.status === 200 && Date.now() - signalledAt < DRAIN_MS) readiness = await fetch(`${api.url}/health/ready`);
    expect({ status: readiness.status, body: await readiness.json() }).toEqual({
      status: 503,
      body: { status: 'error', info: { database: { status: 'up' }, redis: { status: 'up' } } },
    });
    const lateApply = await fetch(`${api.url}/api/v1/enrolment/applications`, {
      method: 'POST',
      headers: { ...late.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ courseId: courses[4]?.id }),
    });
    const lateAnsweredAt = Date.now();
    expect({ status: lateApply.status, connection: lateApply.headers.get('connection') }).toEqual({ status: 202, connection: 'close' });
    const lateTicket = (await lateApply.json()) as { ticketId: string; sequence: number };
    expect(lateAnsweredAt - signalledAt).toBeLessThan(DRAIN_MS);
    const exit = await api.exited;
    burst.stop();
    await burst.finished;

    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(DRAIN_MS);
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_LIMIT_MS);
    const before = burst.outcomes.filter((o) => o.startedAt < signalledAt);
    const inFlight = before.filter((o) => o.endedAt >= signalledAt);
    // Requests were in flight when the signal came, and each got its whole answer.
    expect(inFlight.length).toBeGreaterThan(0);
    expect(before.filter((o) => o.status !== 202 && o.status !== 200).map((o) => `${o.status} ${o.error ?? o.body.code ?? ''}`)).toEqual([]);
    const ticketClosed = await ticketStream.closed;
    const boardClosed = await boardStream.closed;
    expect([ticketClosed.how, boardClosed.how]).toEqual(['end', 'end']);
    expect(ticketStream.events.length).toBeGreaterThan(0);

    // Another API process takes over; what the stopped one accepted is allocated all the same.
    await stack.startApi();
    const report = await verifyAllocation(
      stack,
      term,
      courses,
      [...seniors, late],
      [
        ...burst.outcomes,
        {
          seniorId: owner.id,
          courseId: courses[5]?.id ?? '',
          status: 202,
          body: { ticketId: ticket.ticketId, sequence: 1 },
          apiUrl: api.url,
          startedAt: 0,
          endedAt: 0,
        },
        {
          seniorId: late.id,
          courseId: courses[4]?.id ?? '',
          status: 202,
          body: lateTicket,
          apiUrl: api.url,
          startedAt: lateAnsweredAt,
          endedAt: lateAnsweredAt,
        },
      ],
    );
    const read = await expectJson<{ status: string }>('GET', `${stack.api.url}/api/v1/enrolment/applications/${ticket.ticketId}`, 200, { auth: owner.auth });
    expect(['CONFIRMED', 'WAITLISTED', 'REJECTED']).toContain(read.status);
    console.info(
      `API SIGTERM: ${before.length} requests sent before the signal, ${inFlight.length} in flight at it, exit ${exit.code} after ${exit.at - signalledAt} ms; ${report.acknowledged} tickets`,
    );
  }, 120_000);

  it('lets a worker finish its active allocation job and exit 0, and another worker take over', async () => {
    const specs = Array.from({ length: 12 }, (_, i) => ({
      capacity: 40,
      weekday: 1 + (i % 6),
      startTime: i < 6 ? '09:00' : '14:00',
      endTime: i < 6 ? '10:30' : '15:30',
    }));
    const { term, courses } = await openTerm(stack, admin, specs, { maxCoursesPerSenior: 6, minAge: 60 });
    // A backlog accepted with no worker running, so the next worker is busy with it when the signal comes.
    for (const worker of stack.workers) expect((await worker.stop()).code).toBe(0);
    const list = applications(seniors, courses, 12, prng(Date.now() % 1_000_000));
    const burst = new Burst(list, () => stack.api.url, 32);
    await burst.finished;
    expect(burst.outcomes.filter((o) => o.status !== 202 && o.status !== 200)).toEqual([]);
    const backlog = burst.outcomes.filter((o) => o.status === 202).length;
    expect(await allocatedCount(stack, term.id)).toBe(0);

    const worker = await stack.startWorker();
    await until(async () => (await allocatedCount(stack, term.id)) > 0, 30_000, 'the worker allocating', 10);
    const signalledAt = Date.now();
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_LIMIT_MS);

    const afterExit = await allocatedCount(stack, term.id);
    // It stopped between batches rather than draining the whole backlog before exiting.
    expect(afterExit).toBeLessThan(backlog);
    const { counts, jobs } = await jobsOf(stack, 'enrolment');
    // The job that was running when the signal came finished (completed, not failed or stalled).
    expect(counts.failed).toBe(0);
    expect(counts.active).toBe(0);
    const runningAtSignal = jobs.filter((job) => (job.processedOn ?? Infinity) <= signalledAt && (job.finishedOn ?? 0) >= signalledAt);
    expect(runningAtSignal.length).toBeGreaterThan(0);
    expect(runningAtSignal.every((job) => job.state === 'completed')).toBe(true);

    await stack.startWorker();
    const report = await verifyAllocation(stack, term, courses, seniors, burst.outcomes);
    expect(report.acknowledged).toBe(backlog);
    console.info(`worker SIGTERM: backlog ${backlog}, ${afterExit} allocated when it exited after ${exit.at - signalledAt} ms, the rest by the next worker`);
  }, 120_000);
});
