import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig, QueueName } from '@app/platform';

/** Job names of the notifications queue; payloads are empty (the outbox table holds the work). */
export const NotificationJob = {
  Relay: 'relay',
  Sweep: 'sweep',
} as const;
export type NotificationJob = (typeof NotificationJob)[keyof typeof NotificationJob];

/** How often the time-driven sources (holds about to expire, contracts ending) are looked at. */
export const NOTIFICATION_SWEEP_EVERY_MS = 60_000;

/** The repeating relay and sweep; idempotent, so every worker may schedule them at boot. */
@Injectable()
export class NotificationJobs {
  constructor(
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler('notification-relay', { every: this.config.notificationRelayEveryMs }, { name: NotificationJob.Relay, data: {} });
    await this.queue.upsertJobScheduler('notification-sweep', { every: NOTIFICATION_SWEEP_EVERY_MS }, { name: NotificationJob.Sweep, data: {} });
  }
}
