import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { HttpReply, HttpRequest } from './http-types';
import { CommonErrorCode, DomainError, type ErrorKind, type FieldProblem } from './domain-error';
import { sqlState } from '../database/transaction-runner';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldProblem[];
  errorId?: string;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** True when the error says PostgreSQL or Redis is not reachable, rather than a bad request. */
export function isDependencyDown(error: unknown): boolean {
  const candidate = error as { code?: unknown; message?: unknown; name?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  if (typeof code === 'string' && (CONNECTION_ERRORS.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')) {
    return true;
  }
  const message = typeof candidate?.message === 'string' ? candidate.message : '';
  // LOADING: Redis is reading its append-only file after a restart; CLUSTERDOWN and what follows it:
  // a Redis Cluster whose node is down or restarting, or whose slots are moving.
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Stream isn't writeable|Connection is closed|MaxRetriesPerRequestError|Reached the max retries per request|enableOfflineQueue|^LOADING |^CLUSTERDOWN|^TRYAGAIN|Cluster isn't ready|Failed to refresh slots cache|Too many Cluster redirections/i.test(
    message,
  );
}

/**
 * Errors raised while Fastify reads a request (body too large, not JSON, a content type it does
 * not take, a broken encoding) carry an `FST_…` code and a 4xx `statusCode`; undefined for anything else.
 */
function bodyParserProblem(error: unknown): Problem | undefined {
  const readError = error as { code?: unknown; statusCode?: unknown } | undefined;
  const status = typeof readError?.statusCode === 'number' ? readError.statusCode : undefined;
  if (typeof readError?.code !== 'string' || !readError.code.startsWith('FST_') || status === undefined || status < 400 || status >= 500) return undefined;
  if (status === 413) return problem(413, CommonErrorCode.PAYLOAD_TOO_LARGE, 'The request body is larger than 100 kB.');
  if (status === 415) return problem(415, CommonErrorCode.VALIDATION_FAILED, 'The request body must be JSON (Content-Type: application/json).');
  if (readError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || readError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return problem(400, CommonErrorCode.VALIDATION_FAILED, 'The request body is not valid JSON.');
  }
  return problem(400, CommonErrorCode.VALIDATION_FAILED, 'The request body could not be read.');
}

/** Maps one thrown value to a problem document. Exported for the worker and tests. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    const status = STATUS_BY_KIND[error.kind];
    return problem(status, error.code, error.detail, error.errors);
  }
  if (error instanceof HttpException) {
    // Nest wraps body-parser and URI-decoding errors in an HttpException whose message quotes the
    // request (e.g. `Unexpected token 'n', "null" is not valid JSON`); answer them in our words.
    const fromBodyParser = bodyParserProblem(error.cause);
    if (fromBodyParser) return fromBodyParser;
    if (error.cause instanceof URIError) return problem(400, CommonErrorCode.VALIDATION_FAILED, 'The address holds a malformed percent-encoding.');
    const status = error.getStatus();
    if (status === 404) return problem(404, CommonErrorCode.NOT_FOUND, 'There is nothing at this address.');
    if (status === 413) return problem(413, CommonErrorCode.PAYLOAD_TOO_LARGE, 'The request body is larger than 100 kB.');
    if (status === 401) return problem(401, CommonErrorCode.UNAUTHENTICATED, 'Sign in first.');
    if (status === 403) return problem(403, CommonErrorCode.FORBIDDEN, 'Your role does not allow this action.');
    if (status === 429) return problem(429, CommonErrorCode.RATE_LIMITED, 'Too many requests.');
    if (status >= 400 && status < 500) {
      const body = error.getResponse();
      const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : error.message;
      const detail = Array.isArray(message) ? message.join('; ') : String(message);
      return problem(status, status === 400 ? CommonErrorCode.VALIDATION_FAILED : 'REQUEST_REJECTED', detail);
    }
  }
  const fromBodyParser = bodyParserProblem(error);
  if (fromBodyParser) return fromBodyParser;
  const state = sqlState(error);
  if (state === '23505') return problem(409, CommonErrorCode.CONFLICT, 'This would duplicate a record that already exists.');
  if (state === '40001' || state === '40P01' || state === '55P03') {
    return problem(409, CommonErrorCode.CONFLICT, 'Another change happened at the same time. Please retry.');
  }
  // Invalid text representation, numeric out of range, bad datetime, datetime overflow, and a
  // character the database encoding cannot hold (NUL): the request carried a value it should not.
  if (state === '22P02' || state === '22003' || state === '22007' || state === '22008' || state === '22021') {
    return problem(400, CommonErrorCode.VALIDATION_FAILED, 'A value in the request is not valid.');
  }
  if (isDependencyDown(error)) {
    return problem(503, CommonErrorCode.SERVICE_UNAVAILABLE, 'A service the platform depends on is not answering. Try again shortly.');
  }
  return problem(500, CommonErrorCode.INTERNAL_ERROR, 'Something went wrong on our side. It has been logged.');
}

export function problem(status: number, code: string, detail: string, errors?: FieldProblem[]): Problem {
  const body: Problem = {
    type: `https://eldercare.example/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
  };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}

/**
 * Answers one thrown value as problem+json on `reply`: the status and body of `toProblem`, a
 * `Retry-After` where one applies, and a log line with an `errorId` (that the body repeats) for
 * anything unexpected. Used by the filter below and by the routes served before Nest's pipeline
 * (`DirectRoutes`), so both answer every error alike.
 */
export function sendProblem(error: unknown, request: HttpRequest, reply: HttpReply, logger: Logger): void {
  const body = toProblem(error);
  if (body.status >= 500) {
    body.errorId = randomUUID();
    const log = { errorId: body.errorId, method: request.method, path: request.routeOptions?.url ?? 'unmatched', err: error };
    if (body.status === 503) logger.warn(log);
    else logger.error(log);
  }
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.end();
    return;
  }
  if (error instanceof DomainError && error.retryAfterSeconds !== undefined) {
    reply.header('Retry-After', String(error.retryAfterSeconds));
  }
  if (body.status === 503) reply.header('Retry-After', '5');
  void reply.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/**
 * The one place where errors become HTTP responses: RFC 9457 problem+json, a stable `code`,
 * and nothing internal. Unexpected errors are logged with an `errorId` that the body repeats.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    sendProblem(error, host.switchToHttp().getRequest<HttpRequest>(), host.switchToHttp().getResponse<HttpReply>(), this.logger);
  }
}
