import { Module } from '@nestjs/common';
import { BedInventoryModule } from '@app/bed-inventory';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { CareCentreSeeder } from './care-centre.seeder';
import { CareCentresController } from './care-centres.controller';
import { CareCentresRepository } from './care-centres.repository';
import { CareCentresService } from './care-centres.service';
import { CareKpisService } from './care-kpis.service';
import { CareRecordsService } from './care-records.service';
import { ContractNotices } from './contract-notices';

/** CareCentre: entities, services, repositories and job producers, shared by API and worker. */
@Module({
  imports: [IdentityModule, BedInventoryModule, NotificationsModule],
  providers: [CareCentresRepository, CareCentresService, CareRecordsService, CareKpisService, CareCentreSeeder, ContractNotices],
  exports: [CareCentresService, CareRecordsService, CareKpisService],
})
export class CareCentreModule {}

/** CareCentre over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [CareCentreModule], controllers: [CareCentresController] })
export class CareCentreHttpModule {}

/** CareCentre jobs: processors only; imported by the worker alone. The domain has no jobs yet. */
@Module({ imports: [CareCentreModule] })
export class CareCentreWorkerModule {}
