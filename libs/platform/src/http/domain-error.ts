/**
 * The base of every error a library throws on purpose. Libraries never throw HttpException:
 * they say what kind of failure it is, and the HTTP layer's problem filter picks the status.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable upper-case machine code, e.g. `BED_NOT_AVAILABLE`. */
    readonly code: string,
    /** A sentence for people; never internal names, SQL or stack traces. */
    readonly detail: string,
    readonly errors?: FieldProblem[],
    /** Seconds a client should wait before retrying (rate limits). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** Codes shared by every domain (docs/api.md, "Conventions"). */
export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  VERSION_MISMATCH = 'VERSION_MISMATCH',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
}

export class CommonError extends DomainError {
  static notFound(what = 'resource'): CommonError {
    return new CommonError('not_found', CommonErrorCode.NOT_FOUND, `No such ${what}, or it is not visible to you.`);
  }
  static forbidden(detail = 'Your role does not allow this action.'): CommonError {
    return new CommonError('forbidden', CommonErrorCode.FORBIDDEN, detail);
  }
  static unauthenticated(detail = 'Sign in first: the access token is missing, invalid or expired.'): CommonError {
    return new CommonError('unauthenticated', CommonErrorCode.UNAUTHENTICATED, detail);
  }
  static validation(detail: string, errors?: FieldProblem[]): CommonError {
    return new CommonError('validation', CommonErrorCode.VALIDATION_FAILED, detail, errors);
  }
  static versionMismatch(): CommonError {
    return new CommonError(
      'precondition_failed',
      CommonErrorCode.VERSION_MISMATCH,
      'The resource changed since you read it (If-Match is stale). Read it again and retry.',
    );
  }
  static rateLimited(retryAfterSeconds: number): CommonError {
    return new CommonError(
      'rate_limited',
      CommonErrorCode.RATE_LIMITED,
      `Too many requests. Try again in ${retryAfterSeconds} seconds.`,
      undefined,
      retryAfterSeconds,
    );
  }
  static unavailable(detail = 'A service the platform depends on is not answering. Try again shortly.'): CommonError {
    return new CommonError('unavailable', CommonErrorCode.SERVICE_UNAVAILABLE, detail);
  }
}
