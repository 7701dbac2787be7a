import { openConnectionsFirst, runLoad, summarize, type LoadSummary } from './lib/load';
import type { LoadResult, PlannedRequest } from './lib/load-generator';
import { type BenchUser, createUsers } from './lib/people';
import { type BenchStack, startBenchStack } from './lib/processes';
import { type Figure, lineChartSvg, writeSvg } from './lib/report';
import { acknowledged, applyPlan, checkFairness, createCourses, createSyncCourses, oversold, readTickets, SENIORS, waitDecided } from './enrolment-burst.bench';
import type { Scenario } from './scenarios';

/** Offered load as multiples of the synchronous design's capacity, as docs/quality.md asks. */
const FACTORS = [0.5, 0.8, 1, 1.5, 2];
/** How long each open-loop crowd keeps arriving. */
const SECONDS = 10;
const TIMEOUT_MS = 10_000;
/** Sockets the open-loop generator may open: a crowd is many people, each with a connection. */
const CROWD_CONNECTIONS = 2000;

interface OpenLoopRun {
  design: 'queued' | 'synchronous';
  factor: number;
  ratePerSecond: number;
  summary: LoadSummary;
  /** Queued design: from the last arrival's due time until every acknowledged ticket was decided. */
  decidedAfterLastArrivalMs?: number;
  problems: string[];
}

const round = (value: number): number => Math.round(value * 100) / 100;
const failures = (summary: LoadSummary): number => summary.errors5xx + summary.timeouts + summary.networkErrors;

/**
 * Before a measured crowd, each design serves a short crowd of its own at the same rate (other
 * seniors, other courses): a production API has been running for hours when a term opens, so
 * the figures are those of warm processes, not of a route's first compilation. Both designs
 * get the same warm-up; the queued one's warm-up tickets are all decided before the crowd.
 */
const WARM_UP_SECONDS = 3;
const WARM_UP_PHONES = '153';
/** The closed-loop comparison's warm-up burst, in applications. */
const WARM_UP_CLOSED = 2000;

function openLoopPlan(requests: PlannedRequest[], ratePerSecond: number, warmUpUrl: string) {
  return { requests, ratePerSecond, connections: CROWD_CONNECTIONS, timeoutMs: TIMEOUT_MS, warmUp: openConnectionsFirst(warmUpUrl) };
}

/** Closed loop, 500 connections, one application per senior: what a design can serve at most. */
async function syncCapacity(): Promise<LoadSummary> {
  const stack = await startBenchStack({ apis: 1, workers: 0 });
  try {
    const seniors = await createUsers(stack.env, SENIORS, ['SENIOR']);
    const courses = await createSyncCourses(stack);
    return summarize(await runLoad({ connections: 500, timeoutMs: TIMEOUT_MS, requests: applyPlan(stack, seniors, courses, '/api/v1/bench/sync-apply') }));
  } finally {
    await stack.stop();
  }
}

/** The queued design's warm-up crowd; returns once every warm-up ticket is decided. */
async function warmQueued(stack: BenchStack, admin: BenchUser, ratePerSecond: number): Promise<void> {
  const seniors = await createUsers(stack.env, Math.round(ratePerSecond * WARM_UP_SECONDS), ['SENIOR'], { phonePrefix: WARM_UP_PHONES });
  const { termId, courses } = await createCourses(stack, admin);
  const result = await runLoad(openLoopPlan(applyPlan(stack, seniors, courses), ratePerSecond, stack.apiUrls[0]));
  if ((await waitDecided(stack, termId, acknowledged(result).length, 60_000)) < 0) throw new Error('warm-up tickets not decided within 60 s');
}

/** The synchronous design's warm-up crowd, on courses of its own. */
async function warmSynchronous(stack: BenchStack, ratePerSecond: number): Promise<void> {
  const seniors = await createUsers(stack.env, Math.round(ratePerSecond * WARM_UP_SECONDS), ['SENIOR'], { phonePrefix: WARM_UP_PHONES });
  const courses = await createSyncCourses(stack);
  await runLoad(openLoopPlan(applyPlan(stack, seniors, courses, '/api/v1/bench/sync-apply'), ratePerSecond, stack.apiUrls[0]));
}

async function queuedCrowd(factor: number, ratePerSecond: number): Promise<OpenLoopRun> {
  const stack = await startBenchStack({ apis: 1, workers: 1 });
  try {
    const [admin] = await createUsers(stack.env, 1, ['ADMIN'], { phonePrefix: '151' });
    const seniors = await createUsers(stack.env, Math.round(ratePerSecond * SECONDS), ['SENIOR']);
    await warmQueued(stack, admin, ratePerSecond);
    const { termId, courses } = await createCourses(stack, admin);
    const result = await runLoad(openLoopPlan(applyPlan(stack, seniors, courses), ratePerSecond, stack.apiUrls[0]));
    const acknowledgedIds = acknowledged(result);
    const waited = await waitDecided(stack, termId, acknowledgedIds.length, 60_000);
    const decidedAt = Date.now();
    const problems: string[] = waited < 0 ? ['not every ticket was decided within 60 s'] : [];
    if (acknowledgedIds.length < seniors.length) await new Promise((resolve) => setTimeout(resolve, 3000));
    problems.push(...checkFairness(await readTickets(stack, seniors), courses, acknowledgedIds), ...(await oversold(stack, termId)));
    return {
      design: 'queued',
      factor,
      ratePerSecond,
      summary: summarize(result),
      decidedAfterLastArrivalMs: waited < 0 ? -1 : Math.max(0, decidedAt - (result.lastDueAt ?? result.finishedAt)),
      problems,
    };
  } finally {
    await stack.stop();
  }
}

async function synchronousCrowd(factor: number, ratePerSecond: number): Promise<OpenLoopRun> {
  const stack = await startBenchStack({ apis: 1, workers: 0 });
  try {
    const seniors = await createUsers(stack.env, Math.round(ratePerSecond * SECONDS), ['SENIOR']);
    await warmSynchronous(stack, ratePerSecond);
    const courses = await createSyncCourses(stack);
    const result = await runLoad(openLoopPlan(applyPlan(stack, seniors, courses, '/api/v1/bench/sync-apply'), ratePerSecond, stack.apiUrls[0]));
    return { design: 'synchronous', factor, ratePerSecond, summary: summarize(result), problems: [] };
  } finally {
    await stack.stop();
  }
}

/**
 * `GET /api/v1/me` (a signed-in read of one row) against accepting an application, both offered
 * open loop at 0.8 × what `/me` serves closed loop: the accept path should cost about what the
 * platform's simplest signed-in read costs.
 */
async function meComparison(): Promise<{ meCapacity: LoadSummary; me: LoadSummary; accept: LoadSummary; ratePerSecond: number; problems: string[] }> {
  const stack = await startBenchStack({ apis: 1, workers: 1 });
  try {
    const [admin] = await createUsers(stack.env, 1, ['ADMIN'], { phonePrefix: '151' });
    const readers = await createUsers(stack.env, SENIORS, ['SENIOR'], { phonePrefix: '152' });
    const meRequests = (count: number): PlannedRequest[] =>
      Array.from({ length: count }, (_, i) => ({
        method: 'GET',
        url: `${stack.apiUrls[0]}/api/v1/me`,
        headers: { authorization: `Bearer ${readers[i % readers.length].token}` },
      }));
    const meCapacity = summarize(
      await runLoad({
        connections: 500,
        timeoutMs: TIMEOUT_MS,
        requests: meRequests(SENIORS),
        warmUp: openConnectionsFirst(stack.apiUrls[0]),
      }),
    );
    const ratePerSecond = Math.round(0.8 * meCapacity.throughputPerSecond);
    const count = Math.round(ratePerSecond * SECONDS);
    const me = summarize(await runLoad(openLoopPlan(meRequests(count), ratePerSecond, stack.apiUrls[0])));
    const seniors = await createUsers(stack.env, count, ['SENIOR']);
    // /me was warmed by its capacity run; the accept route gets a warm-up crowd at the same rate.
    await warmQueued(stack, admin, ratePerSecond);
    const { termId, courses } = await createCourses(stack, admin);
    const result = await runLoad(openLoopPlan(applyPlan(stack, seniors, courses), ratePerSecond, stack.apiUrls[0]));
    const acknowledgedIds = acknowledged(result);
    const problems = (await waitDecided(stack, termId, acknowledgedIds.length, 60_000)) < 0 ? ['not every ticket was decided within 60 s'] : [];
    problems.push(...checkFairness(await readTickets(stack, seniors), courses, acknowledgedIds));
    return { meCapacity, me, accept: summarize(result), ratePerSecond, problems };
  } finally {
    await stack.stop();
  }
}

/** Closed loop, 500 connections: the queued accept path against the framework-free reference server. */
async function referenceComparison(): Promise<{ reference: LoadSummary; queued: LoadSummary; problems: string[] }> {
  const closedBurst = async (viaReference: boolean): Promise<{ summary: LoadSummary; problems: string[] }> => {
    const stack = await startBenchStack({ apis: 1, workers: 1, reference: viaReference });
    try {
      const [admin] = await createUsers(stack.env, 1, ['ADMIN'], { phonePrefix: '151' });
      const seniors = await createUsers(stack.env, SENIORS, ['SENIOR']);
      const { termId, courses } = await createCourses(stack, admin);
      const base = viaReference && stack.referenceUrl ? [stack.referenceUrl] : stack.apiUrls;
      // The same warm-up for both servers: a closed-loop burst of their own on a term of its own.
      const warmers = await createUsers(stack.env, WARM_UP_CLOSED, ['SENIOR'], { phonePrefix: WARM_UP_PHONES });
      const warmTerm = await createCourses(stack, admin);
      const warm = await runLoad({
        connections: 500,
        timeoutMs: TIMEOUT_MS,
        requests: applyPlan(stack, warmers, warmTerm.courses, '/api/v1/enrolment/applications', base),
      });
      if ((await waitDecided(stack, warmTerm.termId, acknowledged(warm).length, 60_000)) < 0) throw new Error('warm-up tickets not decided within 60 s');
      const result: LoadResult = await runLoad({
        connections: 500,
        timeoutMs: TIMEOUT_MS,
        requests: applyPlan(stack, seniors, courses, '/api/v1/enrolment/applications', base),
        // The liveness route: it reads nothing, on the API as on the reference server.
        warmUp: openConnectionsFirst(base[0]),
      });
      const acknowledgedIds = acknowledged(result);
      const problems = (await waitDecided(stack, termId, acknowledgedIds.length, 60_000)) < 0 ? ['not every ticket was decided within 60 s'] : [];
      problems.push(...checkFairness(await readTickets(stack, seniors), courses, acknowledgedIds));
      return { summary: summarize(result), problems };
    } finally {
      await stack.stop();
    }
  };
  const reference = await closedBurst(true);
  const queued = await closedBurst(false);
  return { reference: reference.summary, queued: queued.summary, problems: [...reference.problems.map((p) => `reference: ${p}`), ...queued.problems] };
}

export const flashCrowd: Scenario = {
  name: 'flash-crowd',
  description: `open-loop flash crowd at ${FACTORS.join(', ')} × the synchronous design's capacity, ${SECONDS} s each, both designs; accept vs GET /me; accept vs a framework-free reference server`,
  async run() {
    // `BENCH_FLASH_FACTORS=1.5` runs the crowds at one load only (e.g. while profiling); the
    // reference and /me comparisons always run.
    const factors = (process.env.BENCH_FLASH_FACTORS ?? '').split(',').filter(Boolean).map(Number);
    const compared = await referenceComparison();
    console.log(`reference ${compared.reference.throughputPerSecond}/s, queued accept ${compared.queued.throughputPerSecond}/s`);
    const me = await meComparison();
    console.log(
      `GET /me capacity ${me.meCapacity.throughputPerSecond}/s; open loop at ${me.ratePerSecond}/s: /me p99 ${me.me.p99Ms} ms, accept p99 ${me.accept.p99Ms} ms`,
    );
    const capacity = await syncCapacity();
    console.log(`synchronous capacity ${capacity.throughputPerSecond}/s`);
    const runs: OpenLoopRun[] = [];
    for (const factor of factors.length > 0 ? factors : FACTORS) {
      const rate = Math.max(1, Math.round(factor * capacity.throughputPerSecond));
      for (const run of [await queuedCrowd(factor, rate), await synchronousCrowd(factor, rate)]) {
        runs.push(run);
        console.log(`${run.design} at ${factor}× (${rate}/s): p50 ${run.summary.p50Ms} ms, p99 ${run.summary.p99Ms} ms, ${run.summary.timeouts} timeouts`);
      }
    }
    const queuedAt = (factor: number): OpenLoopRun | undefined => runs.find((r) => r.design === 'queued' && r.factor === factor);
    const syncAt = (factor: number): OpenLoopRun | undefined => runs.find((r) => r.design === 'synchronous' && r.factor === factor);
    const q15 = queuedAt(1.5);
    const s15 = syncAt(1.5);
    const referenceRatio = compared.queued.throughputPerSecond / Math.max(1, compared.reference.throughputPerSecond);
    const meRatio = me.accept.p99Ms / Math.max(0.1, me.me.p99Ms);
    const figures: Figure[] = [
      { scenario: 'flash-crowd', figure: 'reference server throughput (500 conn, closed)', value: compared.reference.throughputPerSecond, unit: '/s' },
      { scenario: 'flash-crowd', figure: 'queued accept throughput (500 conn, closed)', value: compared.queued.throughputPerSecond, unit: '/s' },
      {
        scenario: 'flash-crowd',
        figure: 'queued accept ÷ reference server',
        value: round(referenceRatio),
        unit: '',
        target: '≥ 0.7',
        met: referenceRatio >= 0.7,
      },
      { scenario: 'flash-crowd', figure: 'GET /me capacity (500 conn, closed)', value: me.meCapacity.throughputPerSecond, unit: '/s' },
      { scenario: 'flash-crowd', figure: `GET /me p99, open loop at ${me.ratePerSecond}/s`, value: me.me.p99Ms, unit: 'ms' },
      { scenario: 'flash-crowd', figure: `accept p99, open loop at ${me.ratePerSecond}/s`, value: me.accept.p99Ms, unit: 'ms' },
      {
        scenario: 'flash-crowd',
        figure: 'accept p99 ÷ GET /me p99 (0.8 × /me capacity)',
        value: round(meRatio),
        unit: '×',
        target: '≤ 2.5×, no errors',
        met: meRatio <= 2.5 && failures(me.accept) === 0,
      },
      { scenario: 'flash-crowd', figure: 'synchronous capacity (500 conn, closed)', value: capacity.throughputPerSecond, unit: '/s' },
    ];
    for (const run of runs) {
      const label = `${run.design} at ${run.factor}× (${run.ratePerSecond}/s)`;
      figures.push({
        scenario: 'flash-crowd',
        figure: `${label} p50 / p99 / max`,
        value: `${run.summary.p50Ms} / ${run.summary.p99Ms} / ${run.summary.maxMs}`,
        unit: 'ms',
      });
      figures.push({
        scenario: 'flash-crowd',
        figure: `${label} timeouts / errors`,
        value: `${run.summary.timeouts} / ${run.summary.errors5xx + run.summary.networkErrors}`,
        unit: '',
      });
      if (run.design === 'queued') {
        const decided = run.decidedAfterLastArrivalMs ?? -1;
        figures.push({
          scenario: 'flash-crowd',
          figure: `${label} all decided after last arrival`,
          value: round(decided / 1000),
          unit: 's',
          target: '≤ 15 s',
          met: decided >= 0 && decided <= 15_000,
        });
      }
    }
    if (q15 && s15) {
      const queuedOk = q15.summary.timeouts === 0 && failures(q15.summary) === 0 && q15.summary.p99Ms <= 1000;
      const syncWorse = s15.summary.timeouts > 0 || s15.summary.p99Ms >= 10 * q15.summary.p99Ms;
      figures.push({
        scenario: 'flash-crowd',
        figure: 'queued at 1.5×: zero timeouts, p99 ≤ 1 s',
        value: `${q15.summary.timeouts} timeouts, ${q15.summary.p99Ms} ms`,
        unit: '',
        target: '0, ≤ 1000 ms',
        met: queuedOk,
      });
      figures.push({
        scenario: 'flash-crowd',
        figure: 'synchronous p99 ÷ queued p99 at 1.5×',
        value: `${round(s15.summary.p99Ms / Math.max(0.1, q15.summary.p99Ms))}× (${s15.summary.timeouts} sync timeouts)`,
        unit: '',
        target: '≥ 10× or sync times out',
        met: syncWorse,
      });
    }
    const point = (run: OpenLoopRun): { x: number; y: number; note?: string } => ({
      x: run.factor,
      y: run.summary.p99Ms,
      note: run.summary.timeouts > 0 ? `${run.summary.timeouts} timeouts` : undefined,
    });
    writeSvg(
      'flash-crowd-latency',
      lineChartSvg(
        `Open-loop flash crowd: accept p99 (synchronous capacity ${capacity.throughputPerSecond}/s = 1×)`,
        "offered load, × the synchronous design's capacity",
        'p99 latency from the scheduled send (log scale)',
        [
          { label: 'queued (ticket, then workers)', color: '#1f5fa8', points: runs.filter((r) => r.design === 'queued').map(point) },
          { label: 'synchronous (seat under a row lock)', color: '#b3471d', dash: '8 5', points: runs.filter((r) => r.design === 'synchronous').map(point) },
        ],
      ),
    );
    return {
      figures,
      details: { compared, me, capacity, runs },
      correctnessProblems: [...compared.problems, ...me.problems, ...runs.flatMap((r) => r.problems.map((p) => `${r.design} at ${r.factor}×: ${p}`))],
    };
  },
};
