import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What ends when a person's account is removed, done in the transaction that removes it (`removedBy`: the administrator). */
export type AccountRemoval = (manager: EntityManager, userId: string, removedBy: string) => Promise<void>;

/**
 * Where other modules plug in what a removed account leaves under way (the time bank: the
 * requests for help it posted and the services it booked with minutes), as `VolunteerEndings`
 * is for what a volunteer took on: identity removes the person without knowing about either.
 */
@Injectable()
export class AccountRemovals {
  private readonly removals: AccountRemoval[] = [];

  use(removal: AccountRemoval): void {
    this.removals.push(removal);
  }

  /** Runs every removal for `userId` inside the caller's transaction. */
  async removed(manager: EntityManager, userId: string, removedBy: string): Promise<void> {
    for (const removal of this.removals) await removal(manager, userId, removedBy);
  }
}
