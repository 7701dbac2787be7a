/**
 * Proves that a worker killed with SIGKILL in the middle of an enrolment burst, twice (once while
 * the burst runs, once while a restarted worker drains the backlog), loses nothing: every
 * accepted ticket reaches a final state, no seat is given twice, no ticket has two rows, and the
 * outcome equals the serial replay in sequence order.
 */
import { applications, allocatedCount, Burst, CLASHING_COURSES, openTerm, prng, verifyAllocation } from './support/enrolment';
import { birthDateForAge, createPeople, type Person, signInAdmin } from './support/people';
import { sleep, until } from './support/run';
import { FaultStack } from './support/stack';

describe('worker killed during an enrolment burst', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'worker-crash', apis: 1, workers: 1 });
  }, 60_000);
  afterAll(async () => stack?.close(), 60_000);

  it('decides every accepted ticket once, as a serial replay would, after kill -9 and restart', async () => {
    const seed = Date.now() % 1_000_000;
    const admin = await signInAdmin(stack);
    const { term, courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const seniors: Person[] = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 240 }, (_, i) => birthDateForAge(i % 10 === 0 ? 57 : 61 + (i % 25))),
    );
    const list = applications(seniors, courses, 8, prng(seed));
    const burst = new Burst(list, () => stack.api.url, 24);

    // First crash: while tickets stream in and the worker allocates them.
    await until(async () => (await allocatedCount(stack, term.id)) >= 200, 30_000, 'the worker allocating');
    const first = stack.workers[0];
    expect(first?.alive).toBe(true);
    const killedAt = burst.sent;
    expect((await first?.kill())?.signal).toBe('SIGKILL');
    await sleep(1500);
    const replacement = await stack.startWorker();

    // Second crash: while the replacement drains what piled up without a worker.
    const before = await allocatedCount(stack, term.id);
    await until(async () => (await allocatedCount(stack, term.id)) > before, 30_000, 'the replacement allocating');
    await replacement.kill();
    await sleep(500);
    await stack.startWorker();
    await burst.finished;

    expect(killedAt).toBeLessThan(list.length);
    expect(burst.outcomes).toHaveLength(list.length);
    // The API never noticed: every request was answered 202 (new ticket) or 200 (the senior's existing one).
    expect(burst.outcomes.filter((o) => o.status !== 202 && o.status !== 200)).toEqual([]);
    const report = await verifyAllocation(stack, term, courses, seniors, burst.outcomes);
    expect(report.unacknowledged).toBe(0);
    expect(Object.keys(report.byOutcome).sort()).toEqual(['CONFIRMED', 'NOT_ELIGIBLE', 'SCHEDULE_CLASH', 'TERM_LIMIT_REACHED', 'WAITLISTED']);
    console.info(
      `worker crash (seed ${seed}): ${list.length} requests, ${report.acknowledged} tickets, first kill after ${killedAt} requests; ${JSON.stringify(report.byOutcome)}`,
    );
  }, 120_000);
});
