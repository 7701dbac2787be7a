/**
 * Proves that PostgreSQL crashing (immediate shutdown) for 5 s is survived without restarting
 * anything: allocation jobs fail, are retried with exponential backoff and complete once the
 * server is back, with the outcome of a serial replay; time-bank transfers under way either
 * commit whole or not at all (ledger sums to zero, balances equal journal sums, no one-legged
 * transfer) and a client retrying with its Idempotency-Key moves minutes exactly once.
 */
import { applications, allocatedCount, Burst, openTerm, prng, verifyAllocation } from './support/enrolment';
import { request } from './support/http';
import { fundedVolunteers, LedgerLoad, ledgerOperations, verifyLedger } from './support/ledger';
import { birthDateForAge, createPeople, type Person, signInAdmin } from './support/people';
import { jobsOf } from './support/queues';
import { sleep, until } from './support/run';
import { FaultStack } from './support/stack';

const OUTAGE_MS = 5000;
const BACKOFF_MS = 500;

describe('PostgreSQL stopped during work', () => {
  let stack: FaultStack;
  let admin: Person;
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'postgres-outage', apis: 1, workers: 1 });
    admin = await signInAdmin(stack);
  }, 60_000);
  afterAll(async () => stack?.close(), 60_000);

  /**
   * Crashes PostgreSQL, keeps it down for OUTAGE_MS while `during` runs, and starts it again.
   * The server is surely down from `downAt` (the crash returned) to `restartAt` (start called).
   */
  async function outage(during: (downAt: number) => Promise<void>): Promise<{ downAt: number; restartAt: number; upAt: number }> {
    await stack.pg.crash();
    const downAt = Date.now();
    let restartAt = downAt;
    try {
      await during(downAt);
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    } finally {
      restartAt = Date.now();
      await stack.pg.start();
    }
    return { downAt, restartAt, upAt: Date.now() };
  }

  it('retries allocation jobs with backoff until the database is back, then decides every ticket as a serial replay would', async () => {
    const specs = Array.from({ length: 12 }, (_, i) => ({
      capacity: 30,
      weekday: 1 + (i % 6),
      startTime: i < 6 ? '09:00' : '09:30',
      endTime: i < 6 ? '10:00' : '10:30',
    }));
    const { term, courses } = await openTerm(stack, admin, specs, { maxCoursesPerSenior: 4, minAge: 60 });
    const seniors = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 300 }, (_, i) => birthDateForAge(i % 10 === 0 ? 57 : 61 + (i % 25))),
    );
    // A backlog accepted while no worker runs, so the crash comes in the middle of allocating it.
    for (const worker of stack.workers) await worker.stop();
    const burst = new Burst(applications(seniors, courses, 10, prng(Date.now() % 1_000_000)), () => stack.api.url, 32);
    await burst.finished;
    expect(burst.outcomes.filter((o) => o.status !== 202 && o.status !== 200)).toEqual([]);
    const worker = await stack.startWorker();
    await until(async () => (await allocatedCount(stack, term.id)) > 0, 30_000, 'allocation under way', 10);

    const probes: { status: number; code?: string; ms: number }[] = [];
    const { downAt, restartAt, upAt } = await outage(async (crashedAt) => {
      // The API stays up and says what is wrong, quickly, for a route that needs the database.
      while (Date.now() - crashedAt < OUTAGE_MS - 500) {
        const response = await request<{ code?: string }>('GET', `${stack.api.url}/api/v1/enrolment/terms`);
        probes.push({ status: response.status, code: response.body.code, ms: response.ms });
        await sleep(250);
      }
    });
    const allocatedAtRestart = await allocatedCount(stack, term.id);
    const report = await verifyAllocation(stack, term, courses, seniors, burst.outcomes);

    expect(probes.length).toBeGreaterThan(5);
    expect(probes.filter((p) => p.status !== 503 || p.code !== 'SERVICE_UNAVAILABLE' || p.ms > 2000)).toEqual([]);
    expect(worker.alive).toBe(true);
    // The sweep may decide the backlog before the job that failed during the outage reaches its
    // next attempt (up to a few seconds of backoff after the restart): wait for that attempt.
    const isRetried = (job: { state: string; attemptsMade: number; processedOn?: number }): boolean =>
      job.state === 'completed' && job.attemptsMade > 1 && (job.processedOn ?? 0) > restartAt;
    await until(
      async () => (await jobsOf(stack, 'enrolment')).jobs.some(isRetried),
      30_000,
      'a job that failed during the outage completing on a later attempt',
    );
    const { counts, jobs } = await jobsOf(stack, 'enrolment');
    // No job used up its attempts; jobs that failed during the outage completed on a later attempt,
    // each attempt after waiting at least the exponential backoff (500 ms, 1 s, 2 s, …).
    expect(counts.failed).toBe(0);
    const retried = jobs.filter(isRetried);
    expect(retried.length).toBeGreaterThan(0);
    for (const job of retried) {
      const failures = job.attemptsMade - 1;
      expect(job.stacktrace.length).toBe(failures);
      expect((job.processedOn ?? 0) - job.timestamp).toBeGreaterThanOrEqual(BACKOFF_MS * (2 ** failures - 1) - 50);
    }
    // The worker said why its jobs failed, in its JSON log.
    expect(worker.logLines().some((line) => line.level === 'warn' && String(line.msg).includes('failed'))).toBe(true);
    expect(stack.unstructuredLogLines().slice(0, 5)).toEqual([]);
    console.info(
      `PostgreSQL outage during allocation: ${report.acknowledged} tickets, ${allocatedAtRestart} allocated when the server came back after ${upAt - downAt} ms; ` +
        `${retried.length} jobs completed after ${retried.map((j) => j.attemptsMade).join(', ')} attempts; ${JSON.stringify(report.byOutcome)}`,
    );
  }, 120_000);

  it('leaves the time-bank ledger whole when the database stops in the middle of transfers', async () => {
    const earned = 400;
    const volunteers = await fundedVolunteers(stack, 16, earned);
    const operations = ledgerOperations(volunteers, 600, prng(Date.now() % 1_000_000), `pg-${Date.now()}`);
    const load = new LedgerLoad(stack, operations, () => stack.api.url, 12);
    await until(() => load.outcomes.length >= 120, 30_000, 'transfers under way');
    const { downAt, restartAt } = await outage(async () => undefined);
    await load.finished;
    const retried = await load.retryUnanswered();

    const firstAnswers = load.outcomes.map((o) => o.attempts[0] ?? { status: 0, ms: 0, startedAt: 0, endedAt: 0 });
    const duringOutage = firstAnswers.filter((a) => a.startedAt > downAt && a.endedAt < restartAt);
    expect(duringOutage.length).toBeGreaterThan(10);
    expect(duringOutage.filter((a) => a.status !== 503 || a.code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    // No answer took long and none was a 500, in the whole run, retries included.
    const all = load.outcomes.flatMap((o) => o.attempts);
    expect(all.filter((a) => a.status === 0 || a.ms > 6000 || (a.status >= 500 && a.status !== 503))).toEqual([]);
    expect(load.finalAnswers().filter((a) => a.status !== 201 && a.status !== 422)).toEqual([]);
    const result = await verifyLedger(stack, admin, volunteers, earned, load.outcomes);
    expect(result.gifts).toBeGreaterThan(50);
    console.info(
      `PostgreSQL outage during ledger work: ${duringOutage.length} requests answered 503 while down, ${retried} retried with their key; ${JSON.stringify(result)}`,
    );
  }, 120_000);
});
