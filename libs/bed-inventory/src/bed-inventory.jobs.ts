import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '@app/platform';

/** Job names of the bed-inventory queue; payloads carry ids only. */
export const BedJob = {
  ExpireHold: 'expire-hold',
  OfferBed: 'offer-bed',
  SweepHolds: 'sweep-holds',
} as const;
export type BedJob = (typeof BedJob)[keyof typeof BedJob];

/** How often the worker looks for holds whose own expiry job was lost. */
export const HOLD_SWEEP_EVERY_MS = 15_000;

/**
 * Enqueues the domain's jobs, always after the commit that makes them meaningful. Job ids are
 * deterministic (BullMQ refuses a second job with the same id), so a retry never doubles one.
 */
@Injectable()
export class BedInventoryJobs {
  private readonly logger = new Logger(BedInventoryJobs.name);

  constructor(@InjectQueue(QueueName.BedInventory) private readonly queue: Queue) {}

  async expireHoldAt(holdId: string, expiresAt: Date): Promise<void> {
    const delay = Math.max(0, expiresAt.getTime() - Date.now() + 50);
    await this.safely(this.queue.add(BedJob.ExpireHold, { holdId }, { jobId: `hold-expiry-${holdId}`, delay }));
  }

  /**
   * Offers the bed to the waiting list. One job per bed version; `forEntryId` names the entry
   * whose arrival asks again for a version already offered (a finished job keeps its id a while).
   */
  async offerBed(bedId: string, version: number, forEntryId?: string): Promise<void> {
    const jobId = `offer-bed-${bedId}-v${version}` + (forEntryId ? `-e${forEntryId}` : '');
    await this.safely(this.queue.add(BedJob.OfferBed, { bedId }, { jobId }));
  }

  /** The repeating sweep; idempotent, so every worker may call it at boot. */
  async scheduleSweep(): Promise<void> {
    await this.queue.upsertJobScheduler('hold-sweep', { every: HOLD_SWEEP_EVERY_MS }, { name: BedJob.SweepHolds, data: {} });
  }

  private async safely(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      // The change is committed already; the repeating sweep catches a hold whose job was lost.
      this.logger.warn(`could not enqueue a bed job: ${(error as Error).message}`);
    }
  }
}
