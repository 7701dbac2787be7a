import { BedInventoryFacilities1764400100000 } from './migrations/1764400100000-bed-inventory-facilities';
import { BedInventoryBeds1764400110000 } from './migrations/1764400110000-bed-inventory-beds';
import { BedInventoryActFunction1764400120000 } from './migrations/1764400120000-bed-inventory-act-function';
import { BedInventoryLeave1764400600000 } from './migrations/1764400600000-bed-inventory-leave';
import { BedInventoryWaitlistWithdraw1764400610000 } from './migrations/1764400610000-bed-inventory-waitlist-withdraw';
import { BedInventoryReportIndexes1764400700000 } from './migrations/1764400700000-bed-inventory-report-indexes';

export { BedInventoryModule, BedInventoryHttpModule, BedInventoryWorkerModule } from './bed-inventory.module';
export { FacilitiesService, type FacilityView, type FacilitySummary } from './facilities.service';
/** Bed figures over a period, replayed from the history (the district report). */
export { BedFiguresService, type FacilityPeriodFigures, BED_PERIOD_FIGURES_SQL } from './bed-figures';
export { type FacilityKind, FACILITY_KINDS } from './bed-inventory.types';
export { BedInventoryError, BedInventoryErrorCode } from './bed-inventory.errors';
export { type BedStatus, type CareLevel, type BedAction, CARE_LEVELS, BED_STATUSES, OCCUPIED_STATUSES } from './bed-state';
export { OccupancyHistory, type OccupancyView, type FacilityPeriodOccupancy } from './occupancy-history';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/** BedInventory's migrations in timestamp order from 1764400100000 (its queries are SQL; it maps no entity). */
export const bedInventoryMigrations: Function[] = [
  BedInventoryFacilities1764400100000,
  BedInventoryBeds1764400110000,
  BedInventoryActFunction1764400120000,
  BedInventoryLeave1764400600000,
  BedInventoryWaitlistWithdraw1764400610000,
  BedInventoryReportIndexes1764400700000,
];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */
export { BedInventorySeeder } from './bed-inventory.seeder';
export { BED_ACT_STATEMENT } from './beds.repository';
export { replay as replayBedHistory, type ReplayEvent, type ReplayedBed } from './bed-state';
