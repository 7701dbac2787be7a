import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '@app/platform';

/** Job names of the enrolment queue; payloads carry ids only. */
export const EnrolmentJob = {
  Allocate: 'allocate',
  Cancel: 'cancel',
  Promote: 'promote',
  Sweep: 'sweep',
} as const;
export type EnrolmentJob = (typeof EnrolmentJob)[keyof typeof EnrolmentJob];

/** How often every worker looks for terms with undecided tickets, free seats and due draws. */
export const ENROLMENT_SWEEP_EVERY_MS = 1000;

/**
 * Enqueues enrolment's jobs after the change that makes them meaningful. The wake-up of a term's
 * allocator is de-duplicated with `keepLastIfActive`: at most one waiting and one running per
 * term, and a ticket accepted while one runs still gets a run after it, so no wake-up is lost
 * and a burst of thousands of accepts is a handful of jobs.
 */
@Injectable()
export class EnrolmentJobs {
  private readonly logger = new Logger(EnrolmentJobs.name);

  constructor(@InjectQueue(QueueName.Enrolment) private readonly queue: Queue) {}

  async wake(termId: string): Promise<void> {
    await this.safely(this.queue.add(EnrolmentJob.Allocate, { termId }, { deduplication: { id: `allocate-${termId}`, keepLastIfActive: true } }));
  }

  async cancel(ticketId: string): Promise<void> {
    await this.safely(this.queue.add(EnrolmentJob.Cancel, { ticketId }, { jobId: `cancel-${ticketId}` }));
  }

  async promote(courseId: string, cancelledTicketId: string): Promise<void> {
    await this.safely(this.queue.add(EnrolmentJob.Promote, { courseId }, { jobId: `promote-${courseId}-${cancelledTicketId}` }));
  }

  /** The repeating sweep; idempotent, so every worker may call it at boot. */
  async scheduleSweep(): Promise<void> {
    await this.queue.upsertJobScheduler('enrolment-sweep', { every: ENROLMENT_SWEEP_EVERY_MS }, { name: EnrolmentJob.Sweep, data: {} });
  }

  private async safely(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (error) {
      // The ticket or change is durable already; the repeating sweep finds it within a second.
      this.logger.warn(`could not enqueue an enrolment job: ${(error as Error).message}`);
    }
  }
}
