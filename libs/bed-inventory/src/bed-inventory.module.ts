import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { QueueName, registerQueue } from '@app/platform';
import { BedBoard } from './bed-board';
import { BedFiguresService } from './bed-figures';
import { BedInventoryJobs } from './bed-inventory.jobs';
import { BedInventoryProcessor } from './bed-inventory.processor';
import { BedInventorySeeder } from './bed-inventory.seeder';
import { BedsController } from './beds.controller';
import { BedsRepository } from './beds.repository';
import { BedsService } from './beds.service';
import { FacilitiesController } from './facilities.controller';
import { FacilitiesRepository } from './facilities.repository';
import { FacilitiesService } from './facilities.service';
import { FacilityBedsController } from './facility-beds.controller';
import { OccupancyHistory } from './occupancy-history';
import { ResidentsController } from './residents.controller';
import { ResidenceController } from './residence.controller';
import { ResidentsRepository } from './residents.repository';
import { ResidentsService } from './residents.service';
import { WaitlistRepository } from './waitlist.repository';
import { WaitlistService } from './waitlist.service';

/** BedInventory: entities, services, repositories and job producers, shared by API and worker. */
@Module({
  imports: [IdentityModule, NotificationsModule, registerQueue(QueueName.BedInventory)],
  providers: [
    FacilitiesRepository,
    FacilitiesService,
    ResidentsRepository,
    ResidentsService,
    BedsRepository,
    BedsService,
    OccupancyHistory,
    WaitlistRepository,
    WaitlistService,
    BedBoard,
    BedInventoryJobs,
    BedInventorySeeder,
    BedFiguresService,
  ],
  exports: [BedFiguresService, FacilitiesService, ResidentsService, BedsService, OccupancyHistory, WaitlistService, BedBoard, BedInventoryJobs],
})
export class BedInventoryModule {}

/** BedInventory over HTTP: controllers only; imported by the API alone. */
@Module({
  imports: [BedInventoryModule],
  controllers: [FacilitiesController, FacilityBedsController, BedsController, ResidentsController, ResidenceController],
})
export class BedInventoryHttpModule {}

/** BedInventory jobs: processors only; imported by the worker alone. */
@Module({ imports: [BedInventoryModule], providers: [BedInventoryProcessor] })
export class BedInventoryWorkerModule {}
