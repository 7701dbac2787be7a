import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { DefaultJobOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { QueueConnectionErrors } from './queue-connection-errors';

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
 * BullMQ root configuration for a program; domains register their own queues.
 *
 * - `producer` (the API): commands fail at once while Redis is down, so a request answers 503
 *   quickly instead of hanging on an offline queue.
 * - `worker`: connections retry forever, as BullMQ's blocking worker commands require.
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
          useFactory: (config: AppConfig) => ({
            prefix: config.queuePrefix,
            connection: { url: config.redisUrl, ...connectionOptions },
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
      ],
      providers: [QueueConnectionErrors],
      exports: [BullModule],
    };
  }
}
