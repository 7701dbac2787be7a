/**
 * The load generator: a separate process from the system under test. It reads a plan (a list of
 * prepared requests and a connection count) from a JSON file, sends every request exactly once
 * and prints one JSON line of results: per-request status and latency, so the parent can compute
 * what it needs.
 *
 * Two ways to send. Closed loop (the default): `connections` keep-alive sockets each send their
 * next request as soon as the server answers the last one, so a slow server is offered less load.
 * Open loop (`ratePerSecond`): request i is due at start + i / rate whatever the server does, as a
 * crowd of people pressing "apply" would send it, and its latency counts from that due time, so
 * a server that falls behind cannot hide its queue (and neither can this process).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

export interface PlannedRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadPlan {
  requests: PlannedRequest[];
  connections: number;
  /** Per-request timeout; a request that takes longer counts as a timeout. */
  timeoutMs: number;
  /**
   * Sent on every connection before the clock starts (e.g. the health endpoint), so that what is
   * measured is the server with open keep-alive connections, as a browser has them, and not this
   * process's cold start and TCP handshakes.
   */
  warmUp?: PlannedRequest;
  /** Open loop: arrivals on this fixed schedule (requests per second) instead of closed-loop lanes. */
  ratePerSecond?: number;
}

export interface LoadResult {
  startedAt: number;
  finishedAt: number;
  /** Same order as the plan. status 0 = network error, -1 = timeout. */
  statuses: number[];
  latenciesMs: number[];
  bodies: string[];
  /** Open loop: when the last request was due (epoch ms). */
  lastDueAt?: number;
}

/**
 * Sends one request. Its latency counts from `dueAt` (a `performance.now()` time; now when not
 * given), and it is a timeout (status -1) if no whole answer arrived `timeoutMs` after that.
 */
function send(agent: http.Agent, request: PlannedRequest, timeoutMs: number, dueAt = performance.now()): Promise<{ status: number; body: string; ms: number }> {
  const elapsed = (): number => performance.now() - dueAt;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: { status: number; body: string; ms: number }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const req = http.request(
      request.url,
      {
        method: request.method,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...request.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: elapsed() }));
        res.on('error', () => settle({ status: 0, body: '', ms: elapsed() }));
      },
    );
    const timer = setTimeout(
      () => {
        settle({ status: -1, body: '', ms: elapsed() });
        req.destroy();
      },
      Math.max(0, dueAt + timeoutMs - performance.now()),
    );
    req.on('error', () => settle({ status: 0, body: '', ms: elapsed() }));
    if (payload) req.write(payload);
    req.end();
  });
}

export async function runPlan(plan: LoadPlan): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.connections });
  const warmUp = plan.warmUp;
  if (warmUp) {
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: plan.connections }, () => send(agent, warmUp, plan.timeoutMs)));
    }
  }
  const result: LoadResult = {
    startedAt: Date.now(),
    finishedAt: 0,
    statuses: new Array<number>(plan.requests.length),
    latenciesMs: new Array<number>(plan.requests.length),
    bodies: new Array<string>(plan.requests.length),
  };
  if (plan.ratePerSecond) {
    await openLoop(plan, plan.ratePerSecond, agent, result);
    agent.destroy();
    return result;
  }
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < plan.requests.length) {
      const index = next;
      next += 1;
      const outcome = await send(agent, plan.requests[index], plan.timeoutMs);
      result.statuses[index] = outcome.status;
      result.latenciesMs[index] = outcome.ms;
      result.bodies[index] = outcome.body;
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, () => lane()));
  result.finishedAt = Date.now();
  agent.destroy();
  return result;
}

/**
 * Sends request i when it is due (start + i / rate), however many are still unanswered: the
 * agent opens as many sockets as the plan's `connections` allows and queues beyond that, and
 * that queueing counts in the latency too because it counts from the due time.
 */
function openLoop(plan: LoadPlan, ratePerSecond: number, agent: http.Agent, result: LoadResult): Promise<void> {
  const count = plan.requests.length;
  const intervalMs = 1000 / ratePerSecond;
  const startPerf = performance.now() + 20;
  result.startedAt = Date.now() + 20;
  result.lastDueAt = Math.round(result.startedAt + (count - 1) * intervalMs);
  return new Promise((done) => {
    let next = 0;
    let outstanding = 0;
    const finishOne = (): void => {
      outstanding -= 1;
      if (next >= count && outstanding === 0) {
        result.finishedAt = Date.now();
        done();
      }
    };
    const tick = (): void => {
      const now = performance.now();
      while (next < count && startPerf + next * intervalMs <= now) {
        const index = next;
        next += 1;
        outstanding += 1;
        void send(agent, plan.requests[index], plan.timeoutMs, startPerf + index * intervalMs).then((outcome) => {
          result.statuses[index] = outcome.status;
          result.latenciesMs[index] = outcome.ms;
          result.bodies[index] = outcome.body;
          finishOne();
        });
      }
      if (next < count) setTimeout(tick, Math.max(0, Math.min(5, startPerf + next * intervalMs - performance.now())));
    };
    tick();
  });
}

if (require.main === module) {
  const plan = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadPlan;
  runPlan(plan).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
