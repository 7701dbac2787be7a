import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Metrics, QueueName } from '@app/platform';
import { Clock } from './clock';
import { DeliveryService } from './delivery.service';
import { NotificationSources } from './notification-sources';
import { NotificationJob, NotificationJobs } from './notifications.jobs';

/** The notifications queue: the relay of the outbox and the sweep of time-driven sources. */
@Processor(QueueName.Notifications)
export class NotificationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly sources: NotificationSources,
    private readonly jobs: NotificationJobs,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as NotificationJob;
    try {
      const result = await this.handle(name);
      this.metrics.jobOutcomes.inc({ queue: QueueName.Notifications, name, outcome: 'completed' });
      return result;
    } catch (error) {
      this.metrics.jobOutcomes.inc({ queue: QueueName.Notifications, name, outcome: 'failed' });
      throw error;
    }
  }

  private async handle(name: NotificationJob): Promise<unknown> {
    switch (name) {
      case NotificationJob.Relay:
        return { delivered: await this.delivery.relay() };
      case NotificationJob.Sweep:
        return this.sources.runAll(this.clock.now());
      default:
        throw new Error(`unknown notifications job ${String(name)}`);
    }
  }
}
