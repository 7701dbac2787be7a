import { createHash } from 'node:crypto';
import { scanKeys } from '@app/platform';
import type { TestStack } from '@app/testing';

export interface RedisEntry {
  key: string;
  type: string;
  /** Every value the key holds, as text (fields and values of a hash, members and scores, stream entries). */
  values: string[];
}

/** Every key under the stack's prefix with everything it holds, whatever its type. */
export async function readRedis(stack: TestStack): Promise<RedisEntry[]> {
  const redis = stack.redis;
  const keys = await scanKeys(redis, `${stack.config.queuePrefix}*`);
  const entries: RedisEntry[] = [];
  for (const key of [...new Set(keys)].sort()) {
    const type = await redis.type(key);
    let values: string[];
    switch (type) {
      case 'string':
        values = [(await redis.get(key)) ?? ''];
        break;
      case 'hash':
        values = Object.entries(await redis.hgetall(key)).flat();
        break;
      case 'list':
        values = await redis.lrange(key, 0, -1);
        break;
      case 'set':
        values = (await redis.smembers(key)).sort();
        break;
      case 'zset':
        values = await redis.zrange(key, '0', '-1', 'WITHSCORES');
        break;
      case 'stream':
        values = (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
        break;
      case 'none':
        // Expired or deleted between SCAN and TYPE.
        continue;
      default:
        throw new Error(`Redis key ${key} has a type this reader does not know: ${type}`);
    }
    entries.push({ key, type, values });
  }
  return entries;
}

/**
 * One hash over the stack's Redis keys and values, leaving out rate-limit counters (every
 * request may count) so that "nothing changed" can be asserted for queued enrolment state too.
 */
export async function redisFingerprint(stack: TestStack): Promise<string> {
  const entries = (await readRedis(stack)).filter((entry) => !entry.key.includes(':rate:'));
  return createHash('md5').update(JSON.stringify(entries)).digest('hex');
}

/**
 * Waits until the stack's Redis keys stop changing (two readings `quietMs` apart agree), for
 * work the API does just after answering, such as coalesced allocator wake-ups.
 */
export async function settledRedis(stack: TestStack, quietMs = 150, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let previous = await redisFingerprint(stack);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const current = await redisFingerprint(stack);
    if (current === previous) return current;
    if (Date.now() > deadline) throw new Error(`Redis kept changing for ${timeoutMs} ms`);
    previous = current;
  }
}
