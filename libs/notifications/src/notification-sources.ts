import { Injectable, Logger } from '@nestjs/common';

/** A domain's periodic look for events that are due by time rather than by an action (a hold about to expire, a contract ending). */
export type NotificationSource = (now: Date) => Promise<number>;

/**
 * Domains register their time-driven event sources here at start; the notification worker's
 * sweep runs each of them. Each source records its events through the outbox in its own
 * transaction with a key that names the event once (e.g. per hold), so running it every minute,
 * on every worker, still makes one notification per event.
 */
@Injectable()
export class NotificationSources {
  private readonly logger = new Logger(NotificationSources.name);
  private readonly sources = new Map<string, NotificationSource>();

  register(name: string, source: NotificationSource): void {
    this.sources.set(name, source);
  }

  async runAll(now: Date): Promise<Record<string, number>> {
    const made: Record<string, number> = {};
    for (const [name, source] of this.sources) {
      try {
        made[name] = await source(now);
      } catch (error) {
        // One failing source must not stop the others; the next sweep runs it again.
        this.logger.warn({ msg: 'notification source failed', source: name, error: (error as Error).message });
      }
    }
    return made;
  }
}
