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
 *
 * It speaks HTTP/1.1 over plain sockets, with every request's bytes made before the clock starts.
 * The generator shares the cores with the system it measures, so its own cost per request is
 * taken from the server. `node:http`'s client spent about 1.6 times as much CPU (1,000 requests
 * on new connections: 46–48 ticks of 10 ms against 29–32; 10,000 on 500 keep-alive
 * connections: 147–151 against 85–94).
 */
import net from 'node:net';
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

/** A request as bytes ready to write, and the server it goes to. */
interface EncodedRequest {
  origin: string;
  host: string;
  port: number;
  bytes: Buffer;
}

function encode(request: PlannedRequest): EncodedRequest {
  const url = new URL(request.url);
  const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body), 'utf8');
  const withoutBody = request.method === 'GET' || request.method === 'HEAD';
  const headers: Record<string, string> = {
    host: url.host,
    ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : withoutBody ? {} : { 'content-length': '0' }),
    ...request.headers,
  };
  const head = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return {
    origin: url.origin,
    host: url.hostname,
    port: Number(url.port || 80),
    bytes: payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : Buffer.from(head, 'latin1'),
  };
}

interface Answer {
  /** 0 when the connection failed or closed before a whole answer. */
  status: number;
  body: string;
}

/**
 * One keep-alive connection: writes a request and reads its answer (status line, headers, then a
 * body of `content-length` bytes, chunked, or up to the close), one request at a time.
 */
class Connection {
  private readonly socket: net.Socket;
  private received: Buffer = Buffer.alloc(0);
  private waiting: ((answer: Answer) => void) | undefined;
  /** False once the server said `connection: close`, or the socket ended or failed. */
  reusable = true;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => {
      this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
      this.parse(false);
    });
    const closed = (): void => {
      this.reusable = false;
      this.parse(true);
      this.answer({ status: 0, body: '' });
    };
    this.socket.on('end', closed);
    this.socket.on('close', closed);
    this.socket.on('error', closed);
  }

  send(bytes: Buffer): Promise<Answer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(bytes);
    });
  }

  destroy(): void {
    this.reusable = false;
    this.socket.destroy();
  }

  private answer(answer: Answer): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(answer);
  }

  /** Answers the waiting request once its whole answer is in; at the close, a body without a length ends there. */
  private parse(atClose: boolean): void {
    if (!this.waiting) return;
    const headEnd = this.received.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const lines = this.received.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const rest = this.received.subarray(headEnd + 4);
    let body: Buffer | undefined;
    let used = 0;
    if (headers.has('content-length')) {
      const length = Number(headers.get('content-length'));
      if (rest.length >= length) {
        body = rest.subarray(0, length);
        used = length;
      }
    } else if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      const chunks: Buffer[] = [];
      let at = 0;
      for (;;) {
        const sizeEnd = rest.indexOf('\r\n', at);
        if (sizeEnd < 0) break;
        const size = parseInt(rest.subarray(at, sizeEnd).toString('latin1'), 16);
        if (Number.isNaN(size) || rest.length < sizeEnd + 2 + size + 2) break;
        if (size === 0) {
          // The last chunk, then any trailer fields and an empty line.
          const end = rest.indexOf('\r\n\r\n', sizeEnd);
          if (end < 0) break;
          body = Buffer.concat(chunks);
          used = end + 4;
          break;
        }
        chunks.push(rest.subarray(sizeEnd + 2, sizeEnd + 2 + size));
        at = sizeEnd + 2 + size + 2;
      }
    } else if (atClose) {
      body = rest;
      used = rest.length;
    }
    if (body === undefined) return;
    this.received = rest.subarray(used);
    if ((headers.get('connection') ?? '').toLowerCase() === 'close') this.reusable = false;
    this.answer({ status: Number.isFinite(status) ? status : 0, body: body.toString('utf8') });
  }
}

/** Keep-alive connections to one server, at most `max` open; a request waits for a free one beyond that. */
class ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly queue: ((connection: Connection) => void)[] = [];
  private open = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly max: number,
  ) {}

  acquire(): Promise<Connection> {
    for (let idle = this.idle.pop(); idle; idle = this.idle.pop()) {
      if (idle.reusable) return Promise.resolve(idle);
      // Closed by the server while it waited here.
      idle.destroy();
      this.open -= 1;
    }
    if (this.open < this.max) {
      this.open += 1;
      return Promise.resolve(new Connection(this.host, this.port));
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  release(connection: Connection): void {
    let next = connection;
    if (!connection.reusable) {
      connection.destroy();
      this.open -= 1;
      if (this.queue.length === 0) return;
      this.open += 1;
      next = new Connection(this.host, this.port);
    }
    const waiting = this.queue.shift();
    if (waiting) waiting(next);
    else this.idle.push(next);
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.destroy();
  }
}

/** One pool per server a plan talks to. */
class Transport {
  private readonly pools = new Map<string, ConnectionPool>();

  constructor(private readonly maxPerServer: number) {}

  pool(request: EncodedRequest): ConnectionPool {
    let pool = this.pools.get(request.origin);
    if (!pool) {
      pool = new ConnectionPool(request.host, request.port, this.maxPerServer);
      this.pools.set(request.origin, pool);
    }
    return pool;
  }

  close(): void {
    for (const pool of this.pools.values()) pool.close();
  }
}

/**
 * Sends one request. Its latency counts from `dueAt` (a `performance.now()` time; now when not
 * given), and it is a timeout (status -1) if no whole answer arrived `timeoutMs` after that.
 */
function send(
  transport: Transport,
  request: EncodedRequest,
  timeoutMs: number,
  dueAt = performance.now(),
): Promise<{ status: number; body: string; ms: number }> {
  const elapsed = (): number => performance.now() - dueAt;
  const pool = transport.pool(request);
  return new Promise((resolve) => {
    let settled = false;
    let connection: Connection | undefined;
    const settle = (outcome: { status: number; body: string; ms: number }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(
      () => {
        settle({ status: -1, body: '', ms: elapsed() });
        connection?.destroy();
      },
      Math.max(0, dueAt + timeoutMs - performance.now()),
    );
    void pool.acquire().then(async (acquired) => {
      if (settled) return pool.release(acquired);
      connection = acquired;
      const answer = await acquired.send(request.bytes);
      settle({ ...answer, ms: elapsed() });
      pool.release(acquired);
    });
  });
}

export async function runPlan(plan: LoadPlan): Promise<LoadResult> {
  const transport = new Transport(plan.connections);
  const requests = plan.requests.map(encode);
  const warmUp = plan.warmUp && encode(plan.warmUp);
  if (warmUp) {
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: plan.connections }, () => send(transport, warmUp, plan.timeoutMs)));
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
    await openLoop(plan, requests, plan.ratePerSecond, transport, result);
    transport.close();
    return result;
  }
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < plan.requests.length) {
      const index = next;
      next += 1;
      const outcome = await send(transport, requests[index], plan.timeoutMs);
      result.statuses[index] = outcome.status;
      result.latenciesMs[index] = outcome.ms;
      result.bodies[index] = outcome.body;
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, () => lane()));
  result.finishedAt = Date.now();
  transport.close();
  return result;
}

/**
 * Sends request i when it is due (start + i / rate), however many are still unanswered: the
 * transport opens as many connections as the plan's `connections` allows and queues beyond that, and
 * that queueing counts in the latency too because it counts from the due time.
 */
function openLoop(plan: LoadPlan, requests: EncodedRequest[], ratePerSecond: number, transport: Transport, result: LoadResult): Promise<void> {
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
        void send(transport, requests[index], plan.timeoutMs, startPerf + index * intervalMs).then((outcome) => {
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
