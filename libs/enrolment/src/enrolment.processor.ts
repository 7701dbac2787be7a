import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { jobIdField, Metrics, QueueName } from '@app/platform';
import { AllocatorService } from './allocator.service';
import { EnrolmentJob, EnrolmentJobs } from './enrolment.jobs';

/**
 * The enrolment queue: allocation wake-ups, cancellations of queued tickets, promotions and the
 * repeating sweep. Every job is safe to run twice and with any concurrency: each takes its
 * term's lock and re-reads the state, so a repeat finds its work done.
 */
@Processor(QueueName.Enrolment, { concurrency: 4 })
export class EnrolmentProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(EnrolmentProcessor.name);

  constructor(
    private readonly allocator: AllocatorService,
    private readonly jobs: EnrolmentJobs,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.scheduleSweep();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as EnrolmentJob;
    try {
      const result = await this.handle(name, job.data);
      this.metrics.jobOutcomes.inc({ queue: QueueName.Enrolment, name, outcome: 'completed' });
      return result;
    } catch (error) {
      this.metrics.jobOutcomes.inc({ queue: QueueName.Enrolment, name, outcome: 'failed' });
      this.logger.warn(`${name} failed: ${(error as Error).message}`);
      throw error;
    }
  }

  private async handle(name: EnrolmentJob, data: unknown): Promise<unknown> {
    switch (name) {
      case EnrolmentJob.Allocate:
        return { decided: await this.allocator.drain(jobIdField(data, 'termId')) };
      case EnrolmentJob.Cancel:
        return { cancelled: await this.allocator.cancelQueued(jobIdField(data, 'ticketId')) };
      case EnrolmentJob.Promote:
        return { promoted: await this.allocator.promote(jobIdField(data, 'courseId')) };
      case EnrolmentJob.Sweep:
        return this.allocator.sweep();
      default:
        throw new Error(`unknown enrolment job ${String(name)}`);
    }
  }
}
