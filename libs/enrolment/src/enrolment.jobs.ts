import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
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
 * Accepts within this window share one wake-up per API process. During a burst this turns one
 * BullMQ command per application into ten per second, off the request's path, and lets the
 * allocator decide the tickets in batches of about a hundred rather than a few dozen, which cut
 * its CPU per ticket by a fifth in the burst benchmark. A senior applying alone waits at most
 * this long longer for the decision.
 */
export const WAKE_COALESCE_MS = 100;

/**
 * Enqueues enrolment's jobs after the change that makes them meaningful. The wake-up of a term's
 * allocator is de-duplicated with `keepLastIfActive`: at most one waiting and one running per
 * term, and a ticket accepted while one runs still gets a run after it, so no wake-up is lost
 * and a burst of thousands of accepts is a handful of jobs.
 */
@Injectable()
export class EnrolmentJobs implements OnModuleDestroy {
  private readonly logger = new Logger(EnrolmentJobs.name);

  /** Terms whose wake-up is scheduled in this process and not yet sent, with their timers. */
  private readonly pendingWakes = new Map<string, NodeJS.Timeout>();

  constructor(@InjectQueue(QueueName.Enrolment) private readonly queue: Queue) {}

  /**
   * Wakes the term's allocator shortly after this call (trailing edge: the job is added after the
   * last accept of the window, so every accepted ticket is followed by a wake-up). The ticket is
   * already durable in the term's stream; were this wake-up lost, the sweep finds it.
   */
  wake(termId: string): void {
    if (this.pendingWakes.has(termId)) return;
    const timer = setTimeout(() => void this.sendWake(termId), WAKE_COALESCE_MS);
    this.pendingWakes.set(termId, timer);
  }

  private async sendWake(termId: string): Promise<void> {
    this.pendingWakes.delete(termId);
    await this.safely(this.queue.add(EnrolmentJob.Allocate, { termId }, { deduplication: { id: `allocate-${termId}`, keepLastIfActive: true } }));
  }

  /** Sends scheduled wake-ups at once when the process shuts down, while the queue is still open. */
  async onModuleDestroy(): Promise<void> {
    const terms = [...this.pendingWakes.keys()];
    for (const timer of this.pendingWakes.values()) clearTimeout(timer);
    await Promise.all(terms.map((termId) => this.sendWake(termId)));
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
