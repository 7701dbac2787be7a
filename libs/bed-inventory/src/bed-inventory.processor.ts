import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { jobIdField, Metrics, QueueName } from '@app/platform';
import { BedInventoryJobs, BedJob } from './bed-inventory.jobs';
import { BedsService } from './beds.service';

/**
 * The bed-inventory queue: hold expiry, waiting-list offers and the repeating sweep. Every job
 * is safe to run twice: each one re-reads the state and does nothing when its work is done.
 */
@Processor(QueueName.BedInventory)
export class BedInventoryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(BedInventoryProcessor.name);

  constructor(
    private readonly beds: BedsService,
    private readonly jobs: BedInventoryJobs,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.scheduleSweep();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as BedJob;
    try {
      const result = await this.handle(name, job.data);
      this.metrics.jobOutcomes.inc({ queue: QueueName.BedInventory, name, outcome: 'completed' });
      return result;
    } catch (error) {
      this.metrics.jobOutcomes.inc({ queue: QueueName.BedInventory, name, outcome: 'failed' });
      throw error;
    }
  }

  private async handle(name: BedJob, data: unknown): Promise<unknown> {
    switch (name) {
      case BedJob.ExpireHold:
        return { expired: await this.beds.expireHold(jobIdField(data, 'holdId')) };
      case BedJob.OfferBed:
        return { offeredEntryId: await this.beds.offerToWaitlist(jobIdField(data, 'bedId')) };
      case BedJob.SweepHolds: {
        let expired = 0;
        for (const holdId of await this.beds.dueHoldIds()) if (await this.beds.expireHold(holdId)) expired += 1;
        let offered = 0;
        for (const bedId of await this.beds.bedIdsToOffer()) if (await this.beds.offerToWaitlist(bedId)) offered += 1;
        if (expired + offered > 0) this.logger.log(`sweep expired ${expired} holds and made ${offered} offers`);
        return { expired, offered };
      }
      default:
        throw new Error(`unknown bed-inventory job ${String(name)}`);
    }
  }
}
