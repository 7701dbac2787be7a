import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TransactionContext } from '@app/platform';
import { TransactionHooks } from './transaction-hooks';

/**
 * What ends when a person's account is removed, done in the transaction that removes it
 * (`removedBy`: who removes it; `tx` for what must follow its commit, such as Redis mirrors).
 */
export type AccountRemoval = (manager: EntityManager, userId: string, removedBy: string, tx: TransactionContext) => Promise<void>;

/**
 * Where other modules plug in what a removed account leaves under way (the time bank: the
 * requests for help it posted and the services it booked with minutes; enrolment: the seats and
 * places it holds), as `VolunteerEndings` is for what a volunteer took on: identity removes the
 * person without knowing about any of them.
 */
@Injectable()
export class AccountRemovals extends TransactionHooks<[userId: string, removedBy: string, tx: TransactionContext]> {
  /** Runs every removal for `userId` inside the caller's transaction. */
  removed(manager: EntityManager, userId: string, removedBy: string, tx: TransactionContext): Promise<void> {
    return this.runAll(manager, userId, removedBy, tx);
  }
}
