import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Subscription } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { untilReady } from '../redis/redis-connection';
import { EventBus, REDIS } from '../redis/redis.module';

const CHANNEL = 'auth:token-versions';
/** How often every process reloads the whole table, in case a broadcast was missed. */
const REFRESH_MS = 1000;

interface VersionBump {
  userId: string;
  version: number;
}

/**
 * The users whose older tokens no longer count (after a password reset, a role change or a
 * removal), held in memory in every API process so the guard checks a token without a Redis or
 * database round trip. A bump is written to a Redis hash (`userId → version:bumpedAtMs`) and
 * broadcast over pub/sub; each process also reloads the hash every second, so a missed broadcast
 * still takes effect within a second. Entries older than a token's lifetime are dropped: every
 * token issued before them has expired by then.
 */
@Injectable()
export class TokenRevocations implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly floors = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private subscription?: Subscription;
  private failing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventBus,
  ) {}

  private get key(): string {
    return `${this.config.queuePrefix}:auth:token-versions`;
  }

  async onModuleInit(): Promise<void> {
    this.subscription = this.events.listen<VersionBump>(CHANNEL).subscribe({
      next: (bump) => {
        if (typeof bump?.userId === 'string' && Number.isSafeInteger(bump.version)) this.raise(bump.userId, bump.version);
      },
      error: (error: Error) => this.logger.warn(`token version broadcasts: ${error.message}`),
    });
    // The command client refuses commands until it has connected; a process just started waits
    // for it (briefly) rather than warning of an outage that is only its own start.
    await untilReady(this.redis).catch(() => undefined);
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** Whether a token of this version, issued to this user, has been revoked. */
  isRevoked(userId: string, tokenVersion: number | undefined): boolean {
    const floor = this.floors.get(userId);
    return floor !== undefined && (tokenVersion ?? 0) < floor;
  }

  /** Makes every token of the user older than `version` stop working in every API process. */
  async revokeBefore(userId: string, version: number): Promise<void> {
    this.raise(userId, version);
    await this.redis.hset(this.key, userId, `${version}:${Date.now()}`);
    await this.events.publish(CHANNEL, { userId, version } satisfies VersionBump);
  }

  private raise(userId: string, version: number): void {
    if ((this.floors.get(userId) ?? -1) < version) this.floors.set(userId, version);
  }

  private async refresh(): Promise<void> {
    let table: Record<string, string>;
    try {
      table = await this.redis.hgetall(this.key);
      if (this.failing) this.logger.log('token versions reloaded again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`could not reload token versions: ${(error as Error).message}`);
      this.failing = true;
      return;
    }
    const oldest = Date.now() - (this.config.accessTokenTtlSeconds + 60) * 1000;
    const stale: string[] = [];
    for (const [userId, value] of Object.entries(table)) {
      const [version, at] = value.split(':').map(Number);
      if (at < oldest) stale.push(userId);
      else if (Number.isSafeInteger(version)) this.raise(userId, version);
    }
    if (stale.length > 0) {
      for (const userId of stale) this.floors.delete(userId);
      await this.redis.hdel(this.key, ...stale).catch(() => undefined);
    }
  }
}
