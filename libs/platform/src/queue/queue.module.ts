import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { DefaultJobOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { createRedisClient, type RedisClient } from '../redis/redis-connection';
import { QueueConnectionErrors } from './queue-connection-errors';
import { type QueueName, queuePrefixOf } from './queue-names';

/**
 * Job defaults: at-least-once delivery with exponential backoff, so a job survives a database
 * or Redis outage of a minute or more; finished jobs are trimmed so Redis memory stays bounded.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * Registers a domain's queue with its hash-tagged prefix (see `queuePrefixOf`); the queue's
 * processor takes the prefix from the queue's options.
 */
export function registerQueue(name: QueueName): DynamicModule {
  return BullModule.registerQueueAsync({
    name,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({ prefix: queuePrefixOf(config, name) }),
  });
}

/** Cluster clients handed to BullMQ as instances: BullMQ does not close a connection it was given. */
const bullClusterClients = new Set<RedisClient>();

@Injectable()
class BullClusterClientCloser implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    const clients = [...bullClusterClients];
    bullClusterClients.clear();
    await Promise.all(clients.map((client) => client.quit().catch(() => undefined)));
  }
}

/**
 * BullMQ root configuration for a program; domains register their own queues with `registerQueue`.
 *
 * - `producer` (the API): commands fail at once while Redis is down, so a request answers 503
 *   quickly instead of hanging on an offline queue.
 * - `worker`: connections retry forever, as BullMQ's blocking worker commands require.
 *
 * On a Redis Cluster BullMQ is given a cluster client (made by the same factory as every other
 * client); its workers duplicate it for their blocking connections.
 */
@Module({})
export class QueueModule {
  static forRoot(role: 'producer' | 'worker' = 'worker'): DynamicModule {
    const connectionOptions =
      role === 'producer' ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 } : { maxRetriesPerRequest: null };
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            if (!config.redisClusterNodes) {
              return { prefix: config.queuePrefix, connection: { url: config.redisUrl, ...connectionOptions }, defaultJobOptions: DEFAULT_JOB_OPTIONS };
            }
            const client = createRedisClient(config, connectionOptions);
            // Errors are reported by QueueConnectionErrors through the queues and workers.
            client.on('error', () => undefined);
            bullClusterClients.add(client);
            return { prefix: config.queuePrefix, connection: client, defaultJobOptions: DEFAULT_JOB_OPTIONS };
          },
        }),
      ],
      providers: [QueueConnectionErrors, BullClusterClientCloser],
      exports: [BullModule],
    };
  }
}
