import { Module } from '@nestjs/common';
import { BedInventoryWorkerModule } from '@app/bed-inventory';
import { CareCentreWorkerModule } from '@app/care-centre';
import { EnrolmentWorkerModule } from '@app/enrolment';
import { NotificationsWorkerModule } from '@app/notifications';
import { DatabaseModule, PlatformModule, PlatformWorkerModule, QueueModule } from '@app/platform';
import { schema } from '@app/schema';
import { TimeBankWorkerModule } from '@app/time-bank';

/** The job program: every domain's processors, no HTTP listener. */
@Module({
  imports: [
    PlatformModule,
    DatabaseModule.forRoot(schema, 'eldercare-worker'),
    QueueModule.forRoot(),
    PlatformWorkerModule,
    BedInventoryWorkerModule,
    TimeBankWorkerModule,
    EnrolmentWorkerModule,
    CareCentreWorkerModule,
    NotificationsWorkerModule,
  ],
})
export class WorkerModule {}
