import { Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, DEMO_SEEDER, type DemoSeed } from '@app/platform';
import { UsersService } from '@app/identity';

/** Finds every domain's `@DemoSeeder` and runs them in order on an empty database. */
@Injectable()
export class DemoDataRunner {
  private readonly logger = new Logger('DemoData');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<'loaded' | 'skipped'> {
    if (this.config.nodeEnv === 'production') throw new Error('Demo data is never loaded when NODE_ENV=production.');
    // `migrate` creates the configured administrator, so "empty" means no one else yet.
    if ((await this.users.countOtherThanPhone(this.config.adminPhone)) > 0) {
      this.logger.log('the database already has users; demo data not loaded');
      return 'skipped';
    }
    await this.users.ensureAdmin();
    const seeders = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance)
      .map((wrapper) => ({
        order: this.reflector.get<number | undefined>(DEMO_SEEDER, wrapper.metatype as object as new () => unknown),
        name: (wrapper.metatype as { name: string }).name,
        instance: wrapper.instance as DemoSeed,
      }))
      .filter((seeder): seeder is { order: number; name: string; instance: DemoSeed } => seeder.order !== undefined)
      .sort((a, b) => a.order - b.order);
    for (const seeder of seeders) {
      const started = Date.now();
      await seeder.instance.seed();
      this.logger.log(`${seeder.name} loaded in ${Date.now() - started} ms`);
    }
    return 'loaded';
  }
}
