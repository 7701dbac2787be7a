/**
 * The limit the accept path is judged against: a minimal server with no framework (plain
 * `node:http` and ioredis) that does only what accepting an application must do. It verifies the
 * same access token with the same service, validates the same body by hand, looks the course and
 * its term up in an in-process cache as the API does, and runs the same accept script through the
 * same `TicketStore` (rate limit, de-duplication, sequence, stream, ticket hash, Idempotency-Key).
 * It answers 202 with the same body and wakes the term's allocator with the same `EnrolmentJobs`
 * (one coalesced BullMQ job per term a tenth of a second), so the worker decides its tickets
 * during the burst as it does the API's, rather than after it from its once-a-second sweep.
 * Started by the bench harness as its own process; never shipped.
 */
import http from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { EnrolmentJobs, newTicketId, TicketStore } from '@app/enrolment';
import {
  AccessTokenService,
  DEFAULT_JOB_OPTIONS,
  loadConfig,
  type Principal,
  QueueName,
  queuePrefixOf,
  Role,
  redisOptionsFromUrl,
  requestHash,
} from '@app/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const BODY_LIMIT_BYTES = 100 * 1024;
const CACHE_TTL_MS = 3000;

interface CourseWindow {
  termId: string;
  opensAt: number;
  closesAt: number;
}

const config = loadConfig();
const redis = new Redis(redisOptionsFromUrl(config.redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining: true }));
const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
const tokens = new AccessTokenService(config);
const store = new TicketStore(redis, config);
// The API's producer connection: fail fast rather than queue commands while Redis is away.
const queue = new Queue(QueueName.Enrolment, {
  prefix: queuePrefixOf(config, QueueName.Enrolment),
  connection: { url: config.redisUrl, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 },
  defaultJobOptions: DEFAULT_JOB_OPTIONS,
});
const jobs = new EnrolmentJobs(queue);
const courses = new Map<string, { value: CourseWindow | null; expiresAt: number }>();

async function courseWindow(courseId: string): Promise<CourseWindow | null> {
  const cached = courses.get(courseId);
  if (cached && cached.expiresAt > Date.now()) return cached.value;
  const { rows } = await pool.query<{ term_id: string; opens_at: Date; closes_at: Date }>(
    'SELECT c.term_id, t.opens_at, t.closes_at FROM enrolment_courses c JOIN enrolment_terms t ON t.id = c.term_id WHERE c.id = $1',
    [courseId],
  );
  const value = rows[0] ? { termId: rows[0].term_id, opensAt: rows[0].opens_at.getTime(), closesAt: rows[0].closes_at.getTime() } : null;
  courses.set(courseId, { value, expiresAt: Date.now() + CACHE_TTL_MS });
  return value;
}

function answer(response: http.ServerResponse, status: number, body: unknown, problem = false): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': problem ? 'application/problem+json' : 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function refuse(response: http.ServerResponse, status: number, code: string, detail: string): void {
  answer(response, status, { type: 'about:blank', title: code, status, code, detail }, true);
}

function readBody(request: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > BODY_LIMIT_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(null));
  });
}

function authenticate(header: string | undefined): Principal | null {
  const match = header ? /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/.exec(header) : null;
  if (!match) return null;
  try {
    return tokens.verify(match[1]);
  } catch {
    return null;
  }
}

async function apply(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const principal = authenticate(request.headers.authorization);
  if (!principal) return refuse(response, 401, 'UNAUTHENTICATED', 'Sign in first.');
  if (!principal.roles.includes(Role.SENIOR)) return refuse(response, 403, 'FORBIDDEN', 'Seniors only.');
  const text = await readBody(request);
  if (text === null) return refuse(response, 413, 'PAYLOAD_TOO_LARGE', 'The body is larger than 100 kB.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(response, 400, 'VALIDATION_FAILED', 'The body is not JSON.');
  }
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : null;
  const courseId = fields?.length === 1 && fields[0] === 'courseId' ? (body as { courseId: unknown }).courseId : undefined;
  if (typeof courseId !== 'string' || !UUID.test(courseId)) return refuse(response, 400, 'VALIDATION_FAILED', 'courseId must be a UUID.');
  const rawKey = request.headers['idempotency-key'];
  if (rawKey !== undefined && (typeof rawKey !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(rawKey))) {
    return refuse(response, 400, 'VALIDATION_FAILED', 'Idempotency-Key must be 1 to 100 visible ASCII characters.');
  }
  const course = courseId.toLowerCase();
  const window = await courseWindow(course);
  const now = Date.now();
  if (!window) return refuse(response, 404, 'NOT_FOUND', 'No such course.');
  if (now < window.opensAt || now >= window.closesAt) return refuse(response, 409, 'ENROLMENT_CLOSED', 'Enrolment is not open.');
  const outcome = await store.accept({
    ticketId: newTicketId(window.termId),
    termId: window.termId,
    courseId: course,
    seniorId: principal.id,
    acceptedAt: new Date(now).toISOString(),
    idempotencyKey: rawKey,
    requestHash: requestHash({ courseId: course }),
    rateLimit: config.enrolmentApplyPerMinute,
    rateWindowSeconds: 60,
  });
  if (outcome.limited) return refuse(response, 429, 'RATE_LIMITED', 'Too many requests.');
  if (outcome.replayed && outcome.requestHash !== requestHash({ courseId: course })) {
    return refuse(response, 422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body.');
  }
  const reply = outcome.reply;
  if (reply.kind === 'NEW' && !outcome.replayed) jobs.wake(window.termId);
  answer(response, reply.kind === 'NEW' ? 202 : 200, {
    ticketId: reply.ticketId,
    sequence: reply.sequence,
    courseId: course,
    status: reply.status,
    position: reply.position,
  });
}

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && (request.url === '/health/ready' || request.url === '/health/live')) return answer(response, 200, { status: 'ok' });
  if (request.method !== 'POST' || request.url !== '/api/v1/enrolment/applications') return refuse(response, 404, 'NOT_FOUND', 'No such route.');
  apply(request, response).catch(() => {
    if (!response.headersSent) refuse(response, 503, 'SERVICE_UNAVAILABLE', 'Try again shortly.');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(config.port, '127.0.0.1');

function stop(): void {
  server.close();
  server.closeAllConnections();
  void jobs
    .onModuleDestroy()
    .then(() => Promise.all([queue.close(), pool.end(), redis.quit()]))
    .finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
