import { Injectable } from '@nestjs/common';
import { type DemoSeed, DemoSeeder } from '@app/platform';

/** Demo data of the time bank (filled in below). */
@DemoSeeder(30)
@Injectable()
export class TimeBankDemoSeeder implements DemoSeed {
  async seed(): Promise<void> {}
}
