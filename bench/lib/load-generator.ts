/**
 * The load generator: a separate process from the system under test. It reads a plan (a list of
 * prepared requests and a connection count) from a JSON file, sends every request exactly once
 * over `connections` keep-alive sockets as fast as the server answers, and prints one JSON line
 * of results: per-request status and latency, so the parent can compute what it needs.
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
}

export interface LoadResult {
  startedAt: number;
  finishedAt: number;
  /** Same order as the plan. status 0 = network error, -1 = timeout. */
  statuses: number[];
  latenciesMs: number[];
  bodies: string[];
}

function send(agent: http.Agent, request: PlannedRequest, timeoutMs: number): Promise<{ status: number; body: string; ms: number }> {
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
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
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: elapsed() }));
        res.on('error', () => resolve({ status: 0, body: '', ms: elapsed() }));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({ status: -1, body: '', ms: elapsed() });
    });
    req.on('error', () => resolve({ status: 0, body: '', ms: elapsed() }));
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
