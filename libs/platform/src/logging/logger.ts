import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { describeDatabaseError, isDatabaseError } from '../database/query-logger';

/** Per-request context, so every log line written while serving a request carries its id. */
export const requestContext = new AsyncLocalStorage<{ requestId: string; userId?: string }>();

const ID_CARD_PATTERN = /(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])/g;
const PHONE_PATTERN = /(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])/g;

/**
 * Masks anything shaped like an ID-card or mobile number in a finished log line. Redaction by
 * field name (below) catches known fields; this catches the rest, such as a number inside a
 * message or an error text, so a log never holds personal data in clear.
 */
export function scrubPersonalData(line: string): string {
  return line.replace(ID_CARD_PATTERN, '$1********$2').replace(PHONE_PATTERN, '$1****$2');
}

const REDACTED_PATHS = [
  'password',
  'idCardNumber',
  'accessToken',
  'token',
  '*.password',
  '*.idCardNumber',
  '*.accessToken',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
];

export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { requestId: context.requestId, userId: context.userId } : {};
    },
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      streamWrite: (line) => scrubPersonalData(line),
    },
  });
}

/**
 * A failed query's error carries the statement's parameters and PostgreSQL's detail, which hold
 * names, notes and other values: it is logged as `describeDatabaseError` puts it (statement,
 * SQLSTATE, names, message without values, and the stack below the message). Anything else
 * is logged as it is.
 */
function safeError(value: unknown): unknown {
  if (!isDatabaseError(value)) return value;
  const error = value as Error;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return { ...describeDatabaseError(error), stack: frames.join('\n') };
}

/** Nest's logger interface on top of pino, so framework messages are JSON lines too. */
export class JsonLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    // A line below the level costs nothing: the access log calls this once per request.
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest passes the context (class name) as the last string parameter.
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) {
      const err = safeError(message);
      this.pino[level]({ ...fields, err }, isDatabaseError(message) ? 'query failed' : message.message);
      return;
    }
    if (params.length > 0 && typeof params[0] === 'string' && level === 'error') fields.stack = params[0];
    if (typeof message === 'object' && message !== null) {
      const entries = Object.entries(message as Record<string, unknown>).map(([key, value]) => [key, safeError(value)]);
      this.pino[level]({ ...fields, ...Object.fromEntries(entries) });
      return;
    }
    this.pino[level](fields, String(message));
  }
}
