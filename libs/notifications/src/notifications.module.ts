import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, QueueName, registerQueue } from '@app/platform';
import { Clock } from './clock';
import { DeliveryService } from './delivery.service';
import { InboxService } from './inbox.service';
import { NotificationOutbox } from './notification-outbox';
import { NotificationSources } from './notification-sources';
import { NotificationsController } from './notifications.controller';
import { NotificationJobs } from './notifications.jobs';
import { NotificationMetrics } from './notifications.metrics';
import { NotificationsProcessor } from './notifications.processor';
import { AliyunSmsClient } from './sms/aliyun-sms.client';
import { LogSmsProvider, NoSmsProvider } from './sms/log-sms.provider';
import { SMS_PROVIDER, type SmsProvider } from './sms/sms-provider';

/** Notifications: the outbox every domain writes to, the clock and the time-driven sources; shared by API and worker. */
@Module({
  providers: [NotificationOutbox, NotificationMetrics, NotificationSources, Clock],
  exports: [NotificationOutbox, NotificationMetrics, NotificationSources, Clock],
})
export class NotificationsModule {}

/**
 * Notifications over HTTP: the inbox, its live stream and the preference; imported by the API
 * alone. The queue is registered here only so that its depth shows on the API's /metrics.
 */
@Module({ imports: [NotificationsModule, registerQueue(QueueName.Notifications)], controllers: [NotificationsController], providers: [InboxService] })
export class NotificationsHttpModule {}

/** Notifications jobs: the relay and the sweep, and the configured SMS provider; imported by the worker alone. */
@Module({
  imports: [NotificationsModule, registerQueue(QueueName.Notifications)],
  providers: [
    {
      provide: SMS_PROVIDER,
      inject: [APP_CONFIG, Clock],
      useFactory: (config: AppConfig, clock: Clock): SmsProvider => {
        switch (config.smsProvider) {
          case 'log':
            return new LogSmsProvider();
          case 'none':
            return new NoSmsProvider();
          case 'aliyun':
            return new AliyunSmsClient(
              {
                endpoint: config.smsEndpoint,
                accessKeyId: config.smsAccessKeyId,
                accessKeySecret: config.smsAccessKeySecret,
                signName: config.smsSignName,
                templates: config.smsTemplates,
              },
              () => clock.now(),
            );
        }
      },
    },
    DeliveryService,
    NotificationJobs,
    NotificationsProcessor,
  ],
})
export class NotificationsWorkerModule {}
