import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Pool, type QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { isDependencyDown } from '../http/problem.filter';

/** After the replica failed to answer, reads go to the primary for this long before it is tried again. */
export const READ_REPLICA_RETRY_MS = 5000;

/**
 * Reads that may lag: course lists, district figures and reports, a board's first load. With
 * `DATABASE_READ_URL` they go to that PostgreSQL streaming replica, so a city's readers do not
 * load the primary; without it, and whenever the replica does not answer, to the primary. A
 * read that decides anything (allocation, the ledger, bed moves, the accept path's window) never
 * comes through here: it reads the primary inside its own transaction.
 */
@Injectable()
export class ReadDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadDatabase.name);
  private readonly replica?: Pool;
  private replicaDownUntil = 0;

  constructor(
    private readonly primary: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (!config.databaseReadUrl) return;
    this.replica = new Pool({
      connectionString: config.databaseReadUrl,
      max: Math.max(2, Math.ceil(config.databasePoolSize / 2)),
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 30_000,
      application_name: 'eldercare-read',
      // A read that takes this long on a replica is better answered by the primary.
      query_timeout: 10_000,
    });
    // An idle connection breaks when the replica goes away; the next read finds out and falls back.
    this.replica.on('error', () => undefined);
  }

  /** Whether reads are sent to a replica right now (false without one, and while it is failing). */
  get usingReplica(): boolean {
    return this.replica !== undefined && Date.now() >= this.replicaDownUntil;
  }

  /** Runs one read-only statement on the replica, or on the primary when there is none or it does not answer. */
  async query<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.replica && this.usingReplica) {
      try {
        return (await this.replica.query<T>(sql, params)).rows;
      } catch (error) {
        if (!isDependencyDown(error) && !/timeout/i.test((error as Error).message)) throw error;
        this.replicaDownUntil = Date.now() + READ_REPLICA_RETRY_MS;
        this.logger.warn({
          msg: 'the read replica did not answer; reading from the primary',
          retryInMs: READ_REPLICA_RETRY_MS,
          error: (error as Error).message,
        });
      }
    }
    return this.primary.query<T[]>(sql, params);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replica?.end().catch(() => undefined);
  }
}
