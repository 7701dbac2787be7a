import { Module } from '@nestjs/common';
import { BedInventoryHttpModule } from '@app/bed-inventory';
import { CareCentreHttpModule } from '@app/care-centre';
import { EnrolmentHttpModule } from '@app/enrolment';
import { IdentityHttpModule } from '@app/identity';
import { NotificationsHttpModule } from '@app/notifications';
import { AuthModule, DatabaseModule, PlatformModule, QueueModule } from '@app/platform';
import { ReportsHttpModule } from '@app/reports';
import { schema } from '@app/schema';
import { TimeBankHttpModule } from '@app/time-bank';
import { HealthController } from './health/health.controller';
import { QueueMetricsRegistrar } from './health/queue-metrics.registrar';

/** The HTTP program: composes the platform and every domain's HTTP module; no rules here. */
@Module({
  imports: [
    PlatformModule,
    DatabaseModule.forRoot(schema, 'eldercare-api'),
    QueueModule.forRoot('producer'),
    AuthModule,
    IdentityHttpModule,
    BedInventoryHttpModule,
    TimeBankHttpModule,
    EnrolmentHttpModule,
    CareCentreHttpModule,
    ReportsHttpModule,
    NotificationsHttpModule,
  ],
  controllers: [HealthController],
  providers: [QueueMetricsRegistrar],
})
export class ApiModule {}
