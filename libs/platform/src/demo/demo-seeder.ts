import { SetMetadata } from '@nestjs/common';
import { shanghaiDay } from '../http/report-period';

export const DEMO_SEEDER = 'eldercare:demo-seeder';

/**
 * Marks a provider whose `seed()` loads a domain's demo data. The CLI's `seed` command finds
 * every such provider and runs them by `order` (people first, then what refers to them),
 * only on an empty database and never in production.
 */
export const DemoSeeder = (order: number): ClassDecorator => SetMetadata(DEMO_SEEDER, order);

export interface DemoSeed {
  seed(): Promise<void>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `clock` (HH:MM) in the district, `days` days from the district's today at `now` (negative:
 * before): demo data placed at hours people keep, whenever it is seeded.
 */
export function districtTime(now: Date, days: number, clock: string): Date {
  return new Date(`${shanghaiDay(new Date(now.getTime() + days * DAY_MS))}T${clock}:00+08:00`);
}
