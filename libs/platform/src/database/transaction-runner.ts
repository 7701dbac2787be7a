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

/**
 * Runs work in one explicit transaction and retries it, with jittered backoff, when PostgreSQL
 * reports a serialization failure or a deadlock. Services own their transactions through this.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const retries = options.retries ?? 5;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return options.isolation
          ? await this.dataSource.transaction(options.isolation, work)
          : await this.dataSource.transaction(work);
      } catch (error) {
        const state = sqlState(error);
        if (!state || !RETRYABLE.has(state) || attempt >= retries) throw error;
        const delayMs = Math.round(Math.random() * 10 * 2 ** attempt);
        this.logger.debug(`transaction retry ${attempt + 1} after SQLSTATE ${state} in ${delayMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}
