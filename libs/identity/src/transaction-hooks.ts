import type { EntityManager } from 'typeorm';

/**
 * Steps other modules plug in, run in order inside a transaction identity owns (ending someone's
 * time as a volunteer, removing an account), so that identity acts without knowing about them.
 */
export abstract class TransactionHooks<Args extends unknown[]> {
  private readonly hooks: ((manager: EntityManager, ...args: Args) => Promise<void>)[] = [];

  use(hook: (manager: EntityManager, ...args: Args) => Promise<void>): void {
    this.hooks.push(hook);
  }

  /** Runs every step inside the caller's transaction. */
  protected async runAll(manager: EntityManager, ...args: Args): Promise<void> {
    for (const hook of this.hooks) await hook(manager, ...args);
  }
}
