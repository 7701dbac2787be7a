import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue, type Worker } from 'bullmq';

/** The same error of the same queue or worker is logged at most this often. */
export const QUEUE_ERROR_LOG_EVERY_MS = 10_000;

/**
 * Listens to the `error` events of every BullMQ queue and worker of the program. Without a
 * listener BullMQ prints each failed reconnect to stderr as a raw stack trace, outside the JSON
 * log and its scrubbing, several times a second while Redis is down. Instead, one structured
 * warning per queue and message every ten seconds; the connections keep retrying by themselves.
 */
@Injectable()
export class QueueConnectionErrors implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queue');
  private readonly lastLogged = new Map<string, number>();

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue) this.watch(`queue ${instance.name}`, instance);
      else if (instance instanceof WorkerHost) {
        const worker: Worker = (instance as WorkerHost<Worker>).worker;
        this.watch(`worker ${worker.name}`, worker);
      }
    }
  }

  private watch(source: string, emitter: { on(event: 'error', listener: (error: Error) => void): unknown }): void {
    emitter.on('error', (error: Error) => {
      const key = `${source}|${error.message}`;
      const now = Date.now();
      if (now - (this.lastLogged.get(key) ?? 0) < QUEUE_ERROR_LOG_EVERY_MS) return;
      this.lastLogged.set(key, now);
      this.logger.warn({ msg: 'queue connection error; retrying', source, error: error.message });
    });
  }
}
