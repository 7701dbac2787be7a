import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '@app/platform';

/** Notifications created, delivered and failed (or skipped), by channel and kind, on /metrics. */
@Injectable()
export class NotificationMetrics {
  readonly created: Counter<'channel' | 'kind'>;
  readonly delivered: Counter<'channel' | 'kind'>;
  readonly failed: Counter<'channel' | 'kind' | 'reason'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    const existing = (name: string) => metrics.registry.getSingleMetric(name);
    this.created =
      (existing('notifications_created_total') as Counter<'channel' | 'kind'> | undefined) ??
      new Counter({
        name: 'notifications_created_total',
        help: 'Notifications written to the outbox by channel and kind',
        labelNames: ['channel', 'kind'],
        registers,
      });
    this.delivered =
      (existing('notifications_delivered_total') as Counter<'channel' | 'kind'> | undefined) ??
      new Counter({
        name: 'notifications_delivered_total',
        help: 'Notifications delivered (inbox published, SMS accepted by the provider) by channel and kind',
        labelNames: ['channel', 'kind'],
        registers,
      });
    this.failed =
      (existing('notifications_failed_total') as Counter<'channel' | 'kind' | 'reason'> | undefined) ??
      new Counter({
        name: 'notifications_failed_total',
        help: 'Notifications given up or skipped by channel, kind and reason (provider code, OPTED_OUT, NO_PHONE, DAILY_CAP, …)',
        labelNames: ['channel', 'kind', 'reason'],
        registers,
      });
  }
}
