import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionHooks } from './transaction-hooks';

/** What ends with a person's time as a volunteer, done in the transaction that ends it. */
export type VolunteerEnding = (manager: EntityManager, volunteerId: string) => Promise<void>;

/**
 * Where the time bank plugs in what a volunteer leaves behind (requests they claimed, which go
 * back to others and whose seniors are told): identity ends a volunteer's role, or removes the
 * person, without knowing about requests.
 */
@Injectable()
export class VolunteerEndings extends TransactionHooks<[volunteerId: string]> {
  /** Runs every ending for `volunteerId` inside the caller's transaction. */
  ended(manager: EntityManager, volunteerId: string): Promise<void> {
    return this.runAll(manager, volunteerId);
  }
}
