/**
 * Proves that Redis crashing (SIGKILL) for 5 s during an enrolment burst is survived without
 * restarting anything: while it is down the API answers 503 SERVICE_UNAVAILABLE at once (no
 * hang, no 500), it accepts again as soon as Redis is back, the worker carries on, and every
 * ticket acknowledged with 202 before the crash is still there (append-only file) and allocated
 * as the serial replay says.
 */
import { applications, Burst, CLASHING_COURSES, type Outcome, openTerm, prng, verifyAllocation } from './support/enrolment';
import { request } from './support/http';
import { birthDateForAge, createPeople, signInAdmin } from './support/people';
import { sleep, until } from './support/run';
import { FaultStack } from './support/stack';

const OUTAGE_MS = 5000;
/** The slowest acceptable answer while Redis is down: a client must never be left hanging. */
const FAST_MS = 1000;

describe('Redis stopped during an enrolment burst', () => {
  let stack: FaultStack;
  beforeAll(async () => {
    stack = await FaultStack.start({ name: 'redis-outage', apis: 1, workers: 1 });
  }, 60_000);
  afterAll(async () => stack?.close(), 60_000);

  it('answers 503 fast while Redis is down, recovers by itself and loses no acknowledged ticket', async () => {
    const seed = Date.now() % 1_000_000;
    const admin = await signInAdmin(stack);
    const { term, courses } = await openTerm(stack, admin, CLASHING_COURSES);
    const seniors = await createPeople(
      stack,
      ['SENIOR'],
      Array.from({ length: 300 }, (_, i) => birthDateForAge(i % 10 === 0 ? 57 : 61 + (i % 25))),
    );
    const api = stack.api;
    const worker = stack.workers[0];
    const list = applications(seniors, courses, 12, prng(seed));
    const burst = new Burst(list, () => api.url, 16, 5000, 100);

    await until(() => burst.outcomes.filter((o) => o.status === 202).length >= 300, 30_000, 'tickets accepted before the crash');
    const acceptedBeforeCrash = burst.outcomes.filter((o) => o.status === 202).length;
    await stack.redis.kill();
    const downAt = Date.now();
    const readiness: { status: number; ms: number }[] = [];
    while (Date.now() - downAt < OUTAGE_MS) {
      const ready = await request('GET', `${api.url}/health/ready`);
      readiness.push({ status: ready.status, ms: ready.ms });
      await sleep(500);
    }
    await stack.redis.start();
    const upAt = Date.now();
    await until(() => burst.outcomes.some((o) => o.startedAt > upAt && o.status === 202), 15_000, 'the API accepting again');
    const recoveredMs = Math.min(...burst.outcomes.filter((o) => o.startedAt > upAt && o.status === 202).map((o) => o.endedAt)) - upAt;
    await burst.finished;

    // While Redis was down (requests sent after the crash and answered before the restart):
    // only fast 503 SERVICE_UNAVAILABLE, and the readiness check said so too.
    const duringOutage = burst.outcomes.filter((o) => o.startedAt > downAt && o.endedAt < upAt);
    expect(duringOutage.length).toBeGreaterThan(20);
    const summary = (o: Outcome): string => `${o.status} ${o.body.code ?? o.error ?? ''} ${o.endedAt - o.startedAt} ms`;
    expect(duringOutage.filter((o) => o.status !== 503 || o.body.code !== 'SERVICE_UNAVAILABLE').map(summary)).toEqual([]);
    expect(duringOutage.filter((o) => o.endedAt - o.startedAt > FAST_MS).map(summary)).toEqual([]);
    expect(readiness.length).toBeGreaterThan(3);
    expect(readiness.filter((r) => r.status !== 503 || r.ms > 2000)).toEqual([]);
    // Never a 500, never a request left without an answer, in the whole burst.
    expect(burst.outcomes.filter((o) => o.status === 0 || (o.status >= 500 && o.status !== 503)).map(summary)).toEqual([]);

    // Connection errors were logged as JSON records by both programs, not printed as raw stack traces.
    expect(stack.unstructuredLogLines().slice(0, 5)).toEqual([]);
    for (const program of [api, worker]) {
      expect(program?.logLines().some((line) => line.level === 'warn' && line.msg === 'queue connection error; retrying')).toBe(true);
    }
    // Nothing was restarted: the same API and worker carried on.
    expect([api.alive, worker?.alive]).toEqual([true, true]);
    expect((await request('GET', `${api.url}/health/ready`)).status).toBe(200);
    const report = await verifyAllocation(stack, term, courses, seniors, burst.outcomes);
    expect(report.acknowledged).toBeGreaterThan(acceptedBeforeCrash);
    console.info(
      `Redis outage (seed ${seed}): ${acceptedBeforeCrash} tickets acknowledged before the crash, ${duringOutage.length} requests answered 503 ` +
        `(slowest ${Math.max(...duringOutage.map((o) => o.endedAt - o.startedAt))} ms) while down, accepting again ${recoveredMs} ms after the restart; ` +
        `${report.acknowledged} tickets acknowledged, ${report.unacknowledged} written whose reply was lost`,
    );
  }, 120_000);
});
