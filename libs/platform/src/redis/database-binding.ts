import { Client } from 'pg';
import type { AppConfig } from '../config/app-config';
import { createRedisClient } from './redis-connection';

/** The Redis key under the prefix that names the database the prefix's state belongs to. */
export function databaseBindingKey(queuePrefix: string): string {
  return `${queuePrefix}:database`;
}

/** Raised when Redis holds another database's state under the configured prefix; its message is the whole explanation. */
export class RedisBoundElsewhereError extends Error {
  constructor(
    readonly prefix: string,
    readonly databaseId: string,
    readonly recordedId: string,
  ) {
    super(
      [
        `Redis holds the state of another database under the prefix "${prefix}" (that database is ${recordedId}; this one is ${databaseId}).`,
        'Its accepted enrolment tickets and queued jobs belong to that database, so this program will not mix them with this one.',
        `Start with a prefix of its own (for example QUEUE_PREFIX=${prefix}-2), or, if the other database and its state are gone for good,`,
        `delete that state first: redis-cli --scan --pattern '${prefix}:*' | xargs -r redis-cli unlink`,
      ].join(' '),
    );
    this.name = 'RedisBoundElsewhereError';
  }
}

export interface DatabaseBinding {
  databaseId: string;
  /** `claimed`: the prefix held no record and now names this database; `matched`: it already did. */
  outcome: 'claimed' | 'matched';
}

const BINDING_TIMEOUT_MS = 10_000;

/**
 * Binds the Redis state under the configured prefix to this database, before a program starts
 * working: reads the database's identity (made at migration, kept by a restored backup), records
 * it in Redis when the prefix names no database yet, and refuses when the prefix names another
 * one. Refusing, rather than quietly moving to a namespace of the database's own, keeps the other
 * database's accepted tickets and queued jobs where an operator will find them, and turns a
 * misconfiguration (two deployments on one prefix, a database recreated under a running Redis)
 * into one message at start instead of foreign-key errors for ever after.
 */
export async function bindRedisToDatabase(config: Pick<AppConfig, 'databaseUrl' | 'redisUrl' | 'redisClusterNodes' | 'queuePrefix'>): Promise<DatabaseBinding> {
  const databaseId = await readDatabaseIdentity(config.databaseUrl);
  const redis = createRedisClient(config, { maxRetriesPerRequest: 2, connectTimeout: 5000, retryStrategy: (times) => (times > 5 ? null : 500) });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    const key = databaseBindingKey(config.queuePrefix);
    const work = (async (): Promise<DatabaseBinding> => {
      const claimed = await redis.set(key, databaseId, 'NX');
      if (claimed === 'OK') return { databaseId, outcome: 'claimed' };
      const recorded = await redis.get(key);
      if (recorded === databaseId) return { databaseId, outcome: 'matched' };
      throw new RedisBoundElsewhereError(config.queuePrefix, databaseId, recorded ?? '(unreadable)');
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${BINDING_TIMEOUT_MS} ms${lastError ? `: ${lastError.message}` : ''}`)),
        BINDING_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    redis.disconnect();
  }
}

async function readDatabaseIdentity(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const result = await client.query<{ id: string }>(`SELECT id::text AS id FROM database_identity`);
    const id = result.rows[0]?.id;
    if (!id) throw new Error('the database has no identity row: run the migrations (npm run migrate)');
    return id;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') throw new Error('the database has no identity yet: run the migrations first (npm run migrate)');
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
