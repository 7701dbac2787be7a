import { Queue } from 'bullmq';
import { queuePrefixOf, type QueueName } from '@app/platform';
import type { FaultStack } from './stack';

export interface JobRecord {
  id: string;
  name: string;
  state: 'completed' | 'failed';
  attemptsMade: number;
  /** Errors of the failed attempts, newest last. */
  stacktrace: string[];
  /** When the job was added. */
  timestamp: number;
  processedOn?: number;
  finishedOn?: number;
}

/**
 * Reads a BullMQ queue of the stack's programs (same prefix), to see which jobs finished, how
 * many attempts they took and whether any failed for good.
 */
export async function jobsOf(stack: FaultStack, queueName: QueueName): Promise<{ counts: Record<string, number>; jobs: JobRecord[] }> {
  const queue = new Queue(queueName, {
    connection: { host: '127.0.0.1', port: stack.redis.port, maxRetriesPerRequest: 2 },
    prefix: queuePrefixOf({ queuePrefix: stack.env.QUEUE_PREFIX ?? '' }, queueName),
  });
  try {
    const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children');
    const jobs: JobRecord[] = [];
    for (const state of ['completed', 'failed'] as const) {
      for (const job of await queue.getJobs([state], 0, -1)) {
        jobs.push({
          id: job.id ?? '',
          name: job.name,
          state,
          attemptsMade: job.attemptsMade,
          stacktrace: job.stacktrace ?? [],
          timestamp: job.timestamp,
          processedOn: job.processedOn,
          finishedOn: job.finishedOn,
        });
      }
    }
    return { counts, jobs };
  } finally {
    await queue.close();
  }
}
