import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BedInventoryModule } from '@app/bed-inventory';
import { CareCentreModule } from '@app/care-centre';
import { EnrolmentModule } from '@app/enrolment';
import { IdentityModule } from '@app/identity';
import { DatabaseModule, PlatformModule, QueueModule } from '@app/platform';
import { schema } from '@app/schema';
import { TimeBankModule } from '@app/time-bank';
import { DemoDataRunner } from './demo-data.runner';

/** Maintenance commands: every domain's core module, no HTTP, no job processing. */
@Module({
  imports: [
    DiscoveryModule,
    PlatformModule,
    DatabaseModule.forRoot(schema, 'eldercare-cli'),
    QueueModule.forRoot(),
    IdentityModule,
    BedInventoryModule,
    TimeBankModule,
    EnrolmentModule,
    CareCentreModule,
  ],
  providers: [DemoDataRunner],
})
export class CliModule {}
