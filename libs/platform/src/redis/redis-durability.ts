import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';

/**
 * What production needs of Redis (README, production notes): accepted enrolment tickets live only
 * in Redis until a worker allocates them, and queued jobs only there until they run, so every
 * write is on disk before it is acknowledged and nothing is ever evicted.
 */
export const REQUIRED_REDIS_SETTINGS = { appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' } as const;

type Setting = keyof typeof REQUIRED_REDIS_SETTINGS;

export type RedisDurabilityCheck = { outcome: 'as-required' | 'differs'; settings: Record<Setting, string> } | { outcome: 'unchecked'; error: string };

const READY_TIMEOUT_MS = 5000;

async function ready(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not ready within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/**
 * Reads `appendonly`, `appendfsync` and `maxmemory-policy` with CONFIG GET at start and writes one
 * structured log line: a warning naming every setting that differs from what production needs,
 * a warning that it could not check when the server refuses CONFIG (managed services often
 * disable it) or does not answer, or an info line when all is as required. Never throws.
 */
export async function checkRedisDurability(redis: Redis, logger: LoggerService): Promise<RedisDurabilityCheck> {
  const context = 'RedisSettings';
  let check: RedisDurabilityCheck;
  try {
    await ready(redis);
    const settings = {} as Record<Setting, string>;
    for (const name of Object.keys(REQUIRED_REDIS_SETTINGS) as Setting[]) {
      const reply = (await redis.config('GET', name));
      settings[name] = reply[1] ?? '';
    }
    const differs = (Object.keys(REQUIRED_REDIS_SETTINGS) as Setting[]).filter((name) => settings[name] !== REQUIRED_REDIS_SETTINGS[name]);
    check = { outcome: differs.length > 0 ? 'differs' : 'as-required', settings };
    if (differs.length > 0) {
      logger.warn(
        {
          msg: 'Redis is not configured for durability: accepted enrolment tickets and queued jobs can be lost or evicted (see the production notes in the README)',
          differs,
          settings,
          required: REQUIRED_REDIS_SETTINGS,
        },
        context,
      );
    } else {
      logger.log({ msg: 'Redis durability settings are as required', settings }, context);
    }
  } catch (error) {
    check = { outcome: 'unchecked', error: error instanceof Error ? error.message : String(error) };
    logger.warn(
      {
        msg: 'could not check the Redis durability settings; make sure the server runs with them (see the production notes in the README)',
        error: check.error,
        required: REQUIRED_REDIS_SETTINGS,
      },
      context,
    );
  }
  return check;
}
