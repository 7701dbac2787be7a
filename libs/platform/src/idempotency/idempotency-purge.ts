import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Metrics } from '../metrics/metrics';
import { QueueName } from '../queue/queue-names';
import { registerQueue } from '../queue/queue.module';
import { IdempotencyService } from './idempotency.service';

/** How long an `Idempotency-Key` is remembered: the 24 h the contract promises (docs/api.md). */
export const IDEMPOTENCY_RETENTION_HOURS = 24;
/** How often the worker forgets the keys past the retention. */
export const IDEMPOTENCY_PURGE_EVERY_MS = 60 * 60 * 1000;

/** Job names of the platform queue; payloads are empty. */
export const PlatformJob = {
  PurgeIdempotencyKeys: 'purge-idempotency-keys',
} as const;
export type PlatformJob = (typeof PlatformJob)[keyof typeof PlatformJob];

/** The scheduler's id: one schedule however many workers upsert it. */
export const IDEMPOTENCY_PURGE_SCHEDULER = 'idempotency-purge';

/**
 * The platform queue: upkeep that belongs to no domain. Every worker upserts the hourly purge of
 * expired idempotency keys at boot (an upsert of the same scheduler id is one schedule), and the
 * purge is safe to run twice or at the same time: it deletes what is past the retention, in
 * batches that skip rows another purge holds.
 */
@Processor(QueueName.Platform)
export class PlatformProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlatformProcessor.name);

  constructor(
    @InjectQueue(QueueName.Platform) private readonly queue: Queue,
    private readonly idempotency: IdempotencyService,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      IDEMPOTENCY_PURGE_SCHEDULER,
      { every: IDEMPOTENCY_PURGE_EVERY_MS },
      { name: PlatformJob.PurgeIdempotencyKeys, data: {} },
    );
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as PlatformJob;
    try {
      const result = await this.handle(name);
      this.metrics.jobOutcomes.inc({ queue: QueueName.Platform, name, outcome: 'completed' });
      return result;
    } catch (error) {
      this.metrics.jobOutcomes.inc({ queue: QueueName.Platform, name, outcome: 'failed' });
      throw error;
    }
  }

  private async handle(name: PlatformJob): Promise<unknown> {
    switch (name) {
      case PlatformJob.PurgeIdempotencyKeys: {
        const purged = await this.idempotency.purgeOlderThan(IDEMPOTENCY_RETENTION_HOURS);
        if (purged > 0) this.logger.log({ msg: 'purged expired idempotency keys', purged, retentionHours: IDEMPOTENCY_RETENTION_HOURS });
        return { purged };
      }
      default:
        throw new Error(`unknown platform job ${String(name)}`);
    }
  }
}

/** The platform's own processors; imported by the worker program only. */
@Module({ imports: [registerQueue(QueueName.Platform)], providers: [PlatformProcessor] })
export class PlatformWorkerModule {}
