import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { isCluster, mastersOf, type RedisClient, untilReady } from './redis-connection';

/**
 * What production needs of Redis (README, production notes): accepted enrolment tickets live only
 * in Redis until a worker allocates them, and queued jobs only there until they run, so every
 * write is on disk before it is acknowledged and nothing is ever evicted.
 */
export const REQUIRED_REDIS_SETTINGS = { appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' } as const;

type Setting = keyof typeof REQUIRED_REDIS_SETTINGS;

/** `settings` are the first master's; `nodes` lists every master's (one entry when standalone). */
export type RedisDurabilityCheck =
  | { outcome: 'as-required' | 'differs'; settings: Record<Setting, string>; nodes: { node: string; settings: Record<Setting, string> }[] }
  | { outcome: 'unchecked'; error: string };

async function settingsOf(redis: Redis): Promise<Record<Setting, string>> {
  const settings = {} as Record<Setting, string>;
  for (const name of Object.keys(REQUIRED_REDIS_SETTINGS) as Setting[]) {
    const reply = await redis.config('GET', name);
    settings[name] = reply[1] ?? '';
  }
  return settings;
}

/**
 * Reads `appendonly`, `appendfsync` and `maxmemory-policy` with CONFIG GET at start, on every
 * master of a Redis Cluster (each keeps its own slots' tickets), and writes one structured log
 * line: a warning naming every setting (and node) that differs from what production needs,
 * a warning that it could not check when the server refuses CONFIG (managed services often
 * disable it) or does not answer, or an info line when all is as required. Never throws.
 */
export async function checkRedisDurability(redis: RedisClient, logger: LoggerService): Promise<RedisDurabilityCheck> {
  const context = 'RedisSettings';
  let check: RedisDurabilityCheck;
  try {
    // A cluster's node connections connect on their first command; a standalone client may still be connecting.
    if (!isCluster(redis)) await untilReady(redis);
    const masters = await mastersOf(redis);
    const nodes: { node: string; settings: Record<Setting, string> }[] = [];
    for (const master of masters) {
      nodes.push({ node: `${master.options.host ?? ''}:${master.options.port ?? ''}`, settings: await settingsOf(master) });
    }
    const names = Object.keys(REQUIRED_REDIS_SETTINGS) as Setting[];
    const differs = [...new Set(nodes.flatMap((n) => names.filter((name) => n.settings[name] !== REQUIRED_REDIS_SETTINGS[name])))];
    const nodesDiffering = nodes.filter((n) => names.some((name) => n.settings[name] !== REQUIRED_REDIS_SETTINGS[name])).map((n) => n.node);
    const settings = nodes[0]?.settings ?? ({} as Record<Setting, string>);
    check = { outcome: differs.length > 0 ? 'differs' : 'as-required', settings, nodes };
    if (differs.length > 0) {
      logger.warn(
        {
          msg: 'Redis is not configured for durability: accepted enrolment tickets and queued jobs can be lost or evicted (see the production notes in the README)',
          differs,
          settings,
          ...(nodes.length > 1 ? { nodes: nodesDiffering } : {}),
          required: REQUIRED_REDIS_SETTINGS,
        },
        context,
      );
    } else {
      logger.log({ msg: 'Redis durability settings are as required', settings, ...(nodes.length > 1 ? { masters: nodes.length } : {}) }, context);
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
