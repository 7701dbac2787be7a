import { type BeforeApplicationShutdown, Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Observable, type Subscriber } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { createRedisClient, isCluster, type RedisClient } from './redis-connection';

/** Injection token of the shared ioredis client for commands (not for subscriptions). */
export const REDIS = Symbol('REDIS');

/**
 * Cross-process notifications over Redis pub/sub: an API process that commits a change publishes
 * it, and every API process forwards it to its server-sent-event streams. One subscriber
 * connection per process, shared by all streams.
 *
 * At shutdown, before the HTTP server closes, every open stream is completed: a live stream is a
 * request that never ends by itself, and the server waits for every open request before it lets
 * the process exit. Clients (EventSource) reconnect, to another API process.
 */
@Injectable()
export class EventBus implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(EventBus.name);
  private subscriber?: RedisClient;
  private readonly listeners = new Map<string, Set<Subscriber<unknown>>>();
  private closing = false;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get sharded(): boolean {
    return isCluster(this.redis);
  }

  /** Channel names are namespaced by the queue prefix so test runs never hear each other. */
  private key(channel: string): string {
    return `${this.config.queuePrefix}:events:${channel}`;
  }

  async publish(channel: string, payload: unknown): Promise<void> {
    try {
      const key = this.key(channel);
      const message = JSON.stringify(payload);
      if (this.sharded) await this.redis.spublish(key, message);
      else await this.redis.publish(key, message);
    } catch (error) {
      // A lost live update must not fail the committed change that caused it.
      this.logger.warn(`could not publish to ${channel}: ${(error as Error).message}`);
    }
  }

  /** Emits every payload published on the channel while subscribed; completes when the process shuts down. */
  listen<T>(channel: string): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.closing) {
        subscriber.complete();
        return undefined;
      }
      const key = this.key(channel);
      let set = this.listeners.get(key);
      if (!set) {
        set = new Set();
        this.listeners.set(key, set);
        const connection = this.ensureSubscriber();
        (this.sharded ? connection.ssubscribe(key) : connection.subscribe(key)).catch((error: Error) => subscriber.error(error));
      }
      set.add(subscriber);
      return () => {
        const current = this.listeners.get(key);
        current?.delete(subscriber);
        if (current && current.size === 0) {
          this.listeners.delete(key);
          const connection = this.subscriber;
          if (connection) (this.sharded ? connection.sunsubscribe(key) : connection.unsubscribe(key)).catch(() => undefined);
        }
      };
    });
  }

  private ensureSubscriber(): RedisClient {
    if (!this.subscriber) {
      // The command client refuses commands while not connected (enableOfflineQueue: false);
      // a fresh subscriber is not connected yet when the first SUBSCRIBE is sent, so it queues.
      this.subscriber = isCluster(this.redis) ? this.redis.duplicate([], { enableOfflineQueue: true }) : this.redis.duplicate({ enableOfflineQueue: true });
      this.subscriber.on('error', (error: Error) => this.logger.warn(`subscriber: ${error.message}`));
      this.subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, message: string) => {
        const set = this.listeners.get(channel);
        if (!set) return;
        let payload: unknown;
        try {
          payload = JSON.parse(message);
        } catch {
          return;
        }
        for (const listener of set) listener.next(payload);
      });
    }
    return this.subscriber;
  }

  /** Ends every open stream, so the HTTP server can close once the requests in flight are answered. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    const open = [...this.listeners.values()].flatMap((set) => [...set]);
    this.listeners.clear();
    for (const listener of open) listener.complete();
  }

  async onApplicationShutdown(): Promise<void> {
    this.listeners.clear();
    if (this.subscriber) await this.subscriber.quit().catch(() => undefined);
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const client = createRedisClient(config, {
          // Commands fail fast while Redis is down (503), instead of queuing without bound.
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
          retryStrategy: (times) => Math.min(times * 200, 2000),
          // Commands issued in the same tick go out in one write: under a burst of accepts this
          // turns hundreds of socket writes into a few.
          enableAutoPipelining: true,
        });
        const logger = new Logger('Redis');
        client.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
        return client;
      },
    },
    EventBus,
    RedisCloser,
  ],
  exports: [REDIS, EventBus],
})
export class RedisModule {}
