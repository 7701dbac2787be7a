import type { DynamicModule, Type } from '@nestjs/common';
import { SyncAllocationModule } from './sync-allocation.module';

/** Bench-only modules mounted beside the real API (reference designs for comparisons). */
export function referenceModules(): (Type | DynamicModule)[] {
  return [SyncAllocationModule];
}
