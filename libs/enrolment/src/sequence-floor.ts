import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EnrolmentRepository } from './enrolment.repository';
import { TicketStore } from './ticket-store';

/**
 * At start, before the API serves or the worker takes jobs: every term's Redis sequence is at
 * least its PostgreSQL checkpoint. It always is, unless Redis lost its data or was replaced under
 * this database; then a new ticket would be numbered at or below the checkpoint and never
 * allocated. A few commands per open term; a failure is logged, never stops the program.
 */
@Injectable()
export class SequenceFloor implements OnApplicationBootstrap {
  private readonly logger = new Logger(SequenceFloor.name);

  constructor(
    private readonly repository: EnrolmentRepository,
    private readonly store: TicketStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const { termId, last } of await this.repository.checkpoints()) {
        if ((await this.store.lastSequence(termId)) >= last) continue;
        await this.store.raiseSequence(termId, last);
        this.logger.warn({
          msg: 'Redis numbered the term below its decided tickets (Redis lost its data or was replaced): sequence raised to the checkpoint',
          termId,
          checkpoint: last,
        });
      }
    } catch (error) {
      this.logger.warn({ msg: 'could not check the terms sequences against their checkpoints', error: (error as Error).message });
    }
  }
}
