import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';

export interface RateDecision {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters in Redis, shared by every API process. `hit` counts and decides in one
 * round trip; `peek` decides without counting (e.g. login failures are counted only on failure).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The Redis key of a bucket, for a script that counts a hit as part of its own work. Buckets
   * name people (`login:phone:<phone>`, `login:addr:<address>`), so Redis gets only the bucket's
   * kind and a keyed hash of the rest: a plain hash of an 11-digit phone number would be reversed
   * by trying them all.
   */
  key(bucket: string): string {
    const separator = bucket.indexOf(':');
    const kind = separator > 0 ? bucket.slice(0, separator) : 'bucket';
    const digest = createHmac('sha256', this.config.idHashKey).update(`rate-limit:${bucket}`).digest('base64url');
    return `${this.config.queuePrefix}:rate:${kind}:${digest}`;
  }

  async hit(bucket: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const key = this.key(bucket);
    // One round trip: the window starts (with its expiry) only if the counter does not exist yet.
    const result = await this.redis
      .multi()
      .set(key, '0', 'PX', windowSeconds * 1000, 'NX')
      .incr(key)
      .pttl(key)
      .exec();
    const count = Number(result?.[1]?.[1] ?? 0);
    let ttlMs = Number(result?.[2]?.[1] ?? -1);
    if (ttlMs < 0) {
      // A counter left without an expiry (it should not happen) must not limit forever.
      await this.redis.pexpire(key, windowSeconds * 1000);
      ttlMs = windowSeconds * 1000;
    }
    return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  async peek(bucket: string, limit: number): Promise<RateDecision> {
    const key = this.key(bucket);
    const [count, ttlMs] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    const value = Number(count ?? 0);
    return { allowed: value < limit, count: value, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(ttlMs, 0) / 1000)) };
  }

  async reset(bucket: string): Promise<void> {
    await this.redis.del(this.key(bucket));
  }
}
