import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /** Attempts after a serialization failure or deadlock (SQLSTATE 40001 / 40P01). */
  retries?: number;
}

const RETRYABLE = new Set(['40001', '40P01']);

export function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Name of the constraint a failed statement violated, when PostgreSQL reports one. */
export function violatedConstraint(error: unknown): string | undefined {
  const candidate = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const name = candidate?.driverError?.constraint ?? candidate?.constraint;
  return typeof name === 'string' ? name : undefined;
}

/** Work to do once a transaction has committed: publish, enqueue, mirror into Redis. */
export type AfterCommitCallback = () => unknown;

/** What the work of one transaction attempt can ask of the transaction besides its manager. */
export interface TransactionContext {
  /**
   * Runs `callback` after this attempt commits, in the order of registration. An attempt that
   * rolls back (including one retried after a serialization failure or deadlock) drops its
   * callbacks, so a retried transaction never announces what its failed attempts did.
   */
  afterCommit(callback: AfterCommitCallback): void;
}

/**
 * Runs work in one explicit transaction and retries it, with jittered backoff, when PostgreSQL
 * reports a serialization failure or a deadlock. Services own their transactions through this.
 *
 * After-commit callbacks (`tx.afterCommit`) run once the committing attempt's `COMMIT` succeeded,
 * one after the other in registration order. When one throws, the commit stands (nothing can
 * undo it): the failure is logged at error level with its stack, the remaining callbacks still
 * run, and then `run` rejects with the first callback's error, so that the caller does not report
 * a partial success as a whole one — a job fails and is retried, a request is answered 5xx (503
 * when Redis is down) — and an operator sees in the log which follow-up was lost. Follow-ups are
 * idempotent and have safety nets (sweeps, deterministic job ids), so a retry is safe.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager, tx: TransactionContext) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const retries = options.retries ?? 5;
    for (let attempt = 0; ; attempt += 1) {
      const callbacks: AfterCommitCallback[] = [];
      let open = true;
      const context: TransactionContext = {
        afterCommit: (callback) => {
          if (!open) throw new Error('afterCommit called after its transaction ended');
          callbacks.push(callback);
        },
      };
      const attemptWork = (manager: EntityManager): Promise<T> => work(manager, context);
      let result: T;
      try {
        result = options.isolation ? await this.dataSource.transaction(options.isolation, attemptWork) : await this.dataSource.transaction(attemptWork);
      } catch (error) {
        const state = sqlState(error);
        if (!state || !RETRYABLE.has(state) || attempt >= retries) throw error;
        const delayMs = Math.round(Math.random() * 10 * 2 ** attempt);
        this.logger.debug(`transaction retry ${attempt + 1} after SQLSTATE ${state} in ${delayMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        continue;
      } finally {
        open = false;
      }
      await this.runAfterCommit(callbacks);
      return result;
    }
  }

  /** Runs every callback in order; logs each failure and rethrows the first once all have run. */
  private async runAfterCommit(callbacks: readonly AfterCommitCallback[]): Promise<void> {
    let first: { error: unknown } | undefined;
    for (const [index, callback] of callbacks.entries()) {
      try {
        await callback();
      } catch (error) {
        this.logger.error({ msg: 'after-commit work failed; the transaction stays committed', callback: index + 1, of: callbacks.length, err: error });
        first ??= { error };
      }
    }
    if (first) throw first.error;
  }
}
