import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry: HTTP request durations, queue depth by state (read from
 * Redis at scrape time), and job outcomes counted by whoever runs the jobs.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly queues: Queue[] = [];

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly jobOutcomes = new Counter({
    name: 'jobs_total',
    help: 'Jobs finished in this process by queue, job name and outcome',
    labelNames: ['queue', 'name', 'outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const queues = this.queues;
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each BullMQ queue by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const queue of queues) {
          try {
            const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
            for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
          } catch {
            // Redis down: report nothing for this queue rather than failing the scrape.
          }
        }
      },
    });
  }

  /** Makes a queue's depth visible on /metrics. */
  watchQueue(queue: Queue): void {
    if (!this.queues.includes(queue)) this.queues.push(queue);
  }
}
