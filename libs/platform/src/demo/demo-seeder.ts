import { SetMetadata } from '@nestjs/common';

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
