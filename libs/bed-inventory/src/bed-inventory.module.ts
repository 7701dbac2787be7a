import { Module } from '@nestjs/common';

/** BedInventory: entities, services, repositories and job producers, shared by API and worker. */
@Module({})
export class BedInventoryModule {}

/** BedInventory over HTTP: controllers only; imported by the API alone. */
@Module({ imports: [BedInventoryModule] })
export class BedInventoryHttpModule {}

/** BedInventory jobs: processors only; imported by the worker alone. */
@Module({ imports: [BedInventoryModule] })
export class BedInventoryWorkerModule {}
