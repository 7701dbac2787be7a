import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Metrics, QueueName } from '@app/platform';

/**
 * Puts every domain's BullMQ queue on /metrics (jobs waiting, active, delayed, completed and
 * failed, read from Redis at scrape time, so the figures are the same whichever API process
 * answers). A domain without a queue is simply skipped.
 */
@Injectable()
export class QueueMetricsRegistrar implements OnApplicationBootstrap {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Also waits until each queue's Redis connection is up: the API's queues refuse commands while
   * offline (so requests fail fast when Redis is down), which must not include the first seconds.
   */
  async onApplicationBootstrap(): Promise<void> {
    const queues: Queue[] = [];
    for (const name of Object.values(QueueName)) {
      try {
        queues.push(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
      } catch {
        // This domain registers no queue.
      }
    }
    for (const queue of queues) this.metrics.watchQueue(queue);
    await Promise.all(queues.map((queue) => queue.waitUntilReady()));
  }
}
