import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { FacilitiesController } from './facilities.controller';
import { FacilitiesRepository } from './facilities.repository';
import { FacilitiesService } from './facilities.service';

/** BedInventory: entities, services, repositories and job producers, shared by API and worker. */
@Module({
  imports: [IdentityModule],
  providers: [FacilitiesRepository, FacilitiesService],
  exports: [FacilitiesService],
})
export class BedInventoryModule {}

/** BedInventory over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [BedInventoryModule], controllers: [FacilitiesController] })
export class BedInventoryHttpModule {}

/** BedInventory jobs: processors only; imported by the worker alone. */
@Module({ imports: [BedInventoryModule] })
export class BedInventoryWorkerModule {}
