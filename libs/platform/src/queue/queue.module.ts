import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { DefaultJobOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { createRedisClient, type RedisClient, type RedisConnectionOptions, type RedisTopologyConfig } from '../redis/redis-connection';
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

/** Which side of the queues a program is: the API adds jobs, the worker runs them. */
export type QueueRole = 'producer' | 'worker';

/**
 * Options of a program's BullMQ connections.
 *
 * - `producer` (the API): commands fail at once while Redis is down, so a request answers 503
 *   quickly instead of hanging on an offline queue.
 * - `worker`: connections retry forever, as BullMQ's blocking worker commands require.
 */
function queueConnectionOptions(role: QueueRole): Pick<RedisConnectionOptions, 'maxRetriesPerRequest' | 'enableOfflineQueue' | 'connectTimeout'> {
  return role === 'producer' ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 } : { maxRetriesPerRequest: null };
}

/**
 * The cluster client BullMQ is given on a Redis Cluster (made by the same factory as every other
 * client); a worker's queues duplicate it for their blocking connections.
 *
 * A worker's client skips the cluster's ready check (CLUSTER INFO must say `ok`). When that
 * check finds the cluster failing, as it does for a moment after a master restarts, ioredis
 * retries the connection itself and never settles the promise of the `connect()` that ran the
 * check. BullMQ awaits such a `connect()` when it resets a worker's blocking connection, and that
 * worker then takes no job again, on any queue, until it is restarted. Without the check the
 * client is ready once it knows the slots, and a command the failing cluster refuses
 * (CLUSTERDOWN) is retried like any other.
 */
export function queueClusterClient(config: RedisTopologyConfig, role: QueueRole): RedisClient {
  const options = queueConnectionOptions(role);
  return createRedisClient(config, role === 'worker' ? { ...options, enableReadyCheck: false } : options);
}

/**
 * BullMQ root configuration for a program (see `queueConnectionOptions`); domains register their
 * own queues with `registerQueue`.
 */
@Module({})
export class QueueModule {
  static forRoot(role: QueueRole = 'worker'): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            if (!config.redisClusterNodes) {
              return {
                prefix: config.queuePrefix,
                connection: { url: config.redisUrl, ...queueConnectionOptions(role) },
                defaultJobOptions: DEFAULT_JOB_OPTIONS,
              };
            }
            const client = queueClusterClient(config, role);
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
