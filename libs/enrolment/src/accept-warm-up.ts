import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CatalogueService } from './catalogue.service';
import { TicketStore } from './ticket-store';

/** How far ahead a term's opening is prepared for. */
const HORIZON_MS = 15 * 60_000;
/** How often the API looks for terms about to open. */
const EVERY_MS = 30_000;

/**
 * Gets an API process ready for a term's opening before the crowd arrives: at start and every
 * 30 s, enrolment's scripts are loaded into Redis (every master of a cluster) and the courses of
 * terms that are open or open within 15 minutes are put in the accept path's cache. Without it,
 * the first few hundred applications on a fresh process all wait for the same course read and the
 * script's first load. A failure is logged and tried again at the next round; it never stops the
 * API.
 */
@Injectable()
export class AcceptWarmUp implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AcceptWarmUp.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly store: TicketStore,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the API serves at once even when Redis or PostgreSQL answers slowly at start.
    void this.round();
    this.timer = setInterval(() => void this.round(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One round: the scripts, then the courses. Exposed for tests. */
  async round(): Promise<number> {
    try {
      await this.store.loadScripts();
      return await this.catalogue.primeOpeningTerms(HORIZON_MS);
    } catch (error) {
      this.logger.warn({ msg: 'could not prepare the accept path for opening terms', error: (error as Error).message });
      return 0;
    }
  }
}
