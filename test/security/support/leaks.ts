import type { RawResponse } from './client';

/**
 * What must never appear in a response body: stack traces, file paths, module names, SQL and
 * driver messages, constraint and table internals, error class names, and password or ID-number
 * storage. Constraint names are not public error codes in this API (docs/api.md: "Never a stack trace,
 * SQL or internal name"), so none is allowed.
 */
export const LEAK_PATTERNS: readonly [string, RegExp][] = [
  ['stack frame', /\bat [\w$.<>[\] ]+ \(|\bat (?:async )?[^\s()]+:\d+:\d+/],
  ['source position', /\.(?:ts|js|mjs|cjs):\d+/],
  ['file path', /(?:^|[\s"'(])\/(?:work|home|usr|opt|app|root|var|tmp|srv)\/|[A-Za-z]:\\\\/],
  ['node_modules', /node_modules/],
  ['SQL', /\b(?:SELECT\s.+\sFROM|INSERT INTO|UPDATE\s+\S+\s+SET|DELETE FROM|RETURNING\s+\w+|ON CONFLICT)\b/s],
  [
    'database message',
    /duplicate key value|violates (?:unique|check|foreign key|not-null|exclusion) constraint|syntax error at or near|invalid input syntax|invalid byte sequence|relation "|column "|current transaction is aborted|out of range for type/i,
  ],
  ['constraint name', /\b(?:uq|ck|fk|ex|pk|ix|idx)_[a-z0-9]+_[a-z0-9_]+|\w+_(?:pkey|fkey)\b/],
  [
    'error class',
    /\b(?:QueryFailedError|EntityNotFoundError|TypeORMError|EntityPropertyNotFoundError|DatabaseError|TypeError|ReferenceError|RangeError|SyntaxError|MaxRetriesPerRequestError|ReplyError)\b/,
  ],
  ['driver or library', /\b(?:typeorm|ioredis|bullmq|pg-protocol|class-transformer|class-validator)\b|ECONNREFUSED|ECONNRESET/i],
  ['stored secret', /\$argon2|password_?hash|id_?card_?(?:ciphertext|hash)/i],
];

export interface ProblemShape {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { field: string; message: string }[];
}

const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'detail', 'code', 'errors']);

/** Every problem with the shape of an error response (RFC 9457 as docs/api.md documents it). */
export function problemShapeErrors(response: RawResponse): string[] {
  const errors: string[] = [];
  if (!response.contentType.startsWith('application/problem+json')) errors.push(`content type ${response.contentType || '(none)'}`);
  const body = response.json as Partial<ProblemShape> | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [...errors, `body is not a problem document: ${response.text.slice(0, 120)}`];
  for (const key of Object.keys(body)) if (!PROBLEM_KEYS.has(key)) errors.push(`unexpected member ${key}`);
  if (typeof body.type !== 'string' || typeof body.title !== 'string' || typeof body.detail !== 'string') errors.push('type, title and detail must be strings');
  if (body.status !== response.status) errors.push(`status ${String(body.status)} differs from the HTTP status ${response.status}`);
  if (typeof body.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(body.code)) errors.push(`code ${String(body.code)} is not an upper-case machine code`);
  if (body.errors !== undefined) {
    const valid =
      Array.isArray(body.errors) &&
      body.errors.every((item) => typeof item?.field === 'string' && typeof item?.message === 'string' && Object.keys(item).length === 2);
    if (!valid) errors.push('errors must be a list of { field, message }');
  }
  return errors;
}

/** Every string in a JSON value (object keys included), without recursion: bodies may nest deeply. */
export function jsonStrings(value: unknown): string[] {
  const found: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'string') found.push(current);
    else if (Array.isArray(current)) pending.push(...(current as unknown[]));
    else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        found.push(key);
        pending.push(item);
      }
    }
  }
  return found;
}

/**
 * Leaks found in a response body. What the caller sent (or stored earlier) may come back as data
 * and is removed first, so an echoed `' OR 1=1` or a stored `<script>` is not taken for a leak;
 * what is left was written by the server.
 */
export function leaksIn(response: RawResponse, echoed: Iterable<string>, secrets: readonly string[]): string[] {
  if (response.text.length === 0) return [];
  const removable = [...new Set(echoed)].filter((text) => text.length >= 3).sort((a, b) => b.length - a.length);
  const parts = response.json !== undefined ? jsonStrings(response.json) : [response.text];
  const found = new Set<string>();
  const suspicious = (text: string): boolean =>
    LEAK_PATTERNS.some(([, pattern]) => pattern.test(text)) || secrets.some((secret) => secret.length >= 8 && text.includes(secret));
  for (const part of parts) {
    // Most strings are clean: only a suspicious one pays for removing what was echoed.
    if (!suspicious(part)) continue;
    let text = part;
    for (const sent of removable) if (text.includes(sent)) text = text.split(sent).join(' ');
    for (const [name, pattern] of LEAK_PATTERNS) if (pattern.test(text)) found.add(`${name}: ${text.slice(0, 160)}`);
    for (const secret of secrets) if (secret.length >= 8 && text.includes(secret)) found.add('a configured secret');
  }
  return [...found];
}
