import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionHooks } from './transaction-hooks';

/** What ends when a person's account is removed, done in the transaction that removes it (`removedBy`: who removes it). */
export type AccountRemoval = (manager: EntityManager, userId: string, removedBy: string) => Promise<void>;

/**
 * Where other modules plug in what a removed account leaves under way (the time bank: the
 * requests for help it posted and the services it booked with minutes), as `VolunteerEndings`
 * is for what a volunteer took on: identity removes the person without knowing about either.
 */
@Injectable()
export class AccountRemovals extends TransactionHooks<[userId: string, removedBy: string]> {
  /** Runs every removal for `userId` inside the caller's transaction. */
  removed(manager: EntityManager, userId: string, removedBy: string): Promise<void> {
    return this.runAll(manager, userId, removedBy);
  }
}
