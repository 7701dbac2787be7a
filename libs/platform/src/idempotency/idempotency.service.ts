import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type TransactionOptions, TransactionRunner } from '../database/transaction-runner';
import { CommonError, CommonErrorCode, DomainError } from '../http/domain-error';

export interface StoredResponse<T> {
  status: number;
  body: T;
  /** True when this is the first response of an earlier request with the same key. */
  replayed: boolean;
}

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/**
 * `Idempotency-Key` support stored in PostgreSQL, in the same transaction as the work it guards:
 * the key and the effect commit together or not at all. A concurrent duplicate waits on the
 * key's primary key until the first commits, then replays its response.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly transactions: TransactionRunner) {}

  /**
   * Runs `work` in a transaction, at most once per (user, scope, key). Without a key the work
   * simply runs. The same key with a different request is refused with 422.
   */
  async execute<T>(
    input: { userId: string; scope: string; key: string | undefined; request: unknown },
    work: (manager: EntityManager) => Promise<{ status: number; body: T }>,
    options: TransactionOptions = {},
  ): Promise<StoredResponse<T>> {
    return this.transactions.run(async (manager) => {
      if (!input.key) return { ...(await work(manager)), replayed: false };
      const hash = requestHash(input.request);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, response_status, response_body)
         VALUES ($1, $2, $3, $4, 0, 'null'::jsonb)
         ON CONFLICT (user_id, scope, key) DO NOTHING
         RETURNING key`,
        [input.userId, input.scope, input.key, hash],
      );
      if (inserted.length === 0) {
        const rows: { request_hash: string; response_status: number; response_body: T }[] = await manager.query(
          `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`,
          [input.userId, input.scope, input.key],
        );
        const first = rows[0];
        if (!first) throw new Error('idempotency key vanished between insert and read');
        if (first.request_hash !== hash) {
          throw new DomainError(
            'unprocessable',
            CommonErrorCode.IDEMPOTENCY_KEY_REUSED,
            'This Idempotency-Key was already used with a different request body.',
          );
        }
        return { status: first.response_status, body: first.response_body, replayed: true };
      }
      const result = await work(manager);
      await manager.query(`UPDATE idempotency_keys SET response_status = $4, response_body = $5::jsonb WHERE user_id = $1 AND scope = $2 AND key = $3`, [
        input.userId,
        input.scope,
        input.key,
        result.status,
        JSON.stringify(result.body ?? null),
      ]);
      return { ...result, replayed: false };
    }, options);
  }

  /**
   * Forgets the keys older than `hours` (the contract promises at least 24 h), in batches of
   * `batchSize` rows, each its own short transaction, so a large backlog never holds many row locks
   * at once. Resolves the number of keys removed.
   */
  async purgeOlderThan(hours: number, batchSize = 5000): Promise<number> {
    let removed = 0;
    for (;;) {
      const deleted = await this.transactions.run(async (manager) => {
        const result: [unknown[], number] = await manager.query(
          `WITH expired AS (
             SELECT user_id, scope, key FROM idempotency_keys
             WHERE created_at < now() - make_interval(hours => $1)
             LIMIT $2 FOR UPDATE SKIP LOCKED
           )
           DELETE FROM idempotency_keys k USING expired e
           WHERE k.user_id = e.user_id AND k.scope = e.scope AND k.key = e.key`,
          [hours, batchSize],
        );
        return result[1] ?? 0;
      });
      removed += deleted;
      if (deleted < batchSize) return removed;
    }
  }
}

/** What an `Idempotency-Key` header may hold: 1 to 100 visible ASCII characters. */
export const IDEMPOTENCY_KEY_FORMAT = /^[\x21-\x7e]{1,100}$/;

/** Reads and checks the `Idempotency-Key` header (1–100 visible characters), if present. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY_FORMAT.test(value)) {
    throw CommonError.validation('Idempotency-Key must be 1 to 100 visible ASCII characters.', [
      { field: 'Idempotency-Key', message: 'must be 1 to 100 visible ASCII characters' },
    ]);
  }
  return value;
});
