export { BedInventoryModule, BedInventoryHttpModule, BedInventoryWorkerModule } from './bed-inventory.module';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/** BedInventory's tables (entities, and migrations in timestamp order from 1764400100000). */
export const bedInventoryEntities: Function[] = [];
export const bedInventoryMigrations: Function[] = [];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */
