import { Injectable, SetMetadata } from '@nestjs/common';
import type { Principal } from './roles';

export const ACTS_FOR_SENIOR_METADATA = 'eldercare:acts-for-senior';

/**
 * The route is one a senior uses for themself, and also accepts `seniorId` (in the body of a POST,
 * in the query otherwise) from someone allowed to act for that senior: a relative with a live
 * family link, counter staff or an administrator. The guard then hands the handler the senior's
 * principal with `actedBy` set, so the domain applies the senior's own rules.
 */
export const ActsForSenior = (): MethodDecorator => SetMetadata(ACTS_FOR_SENIOR_METADATA, true);

/** Decides who may act for whom, and keeps a record of what was done; supplied by identity. */
export interface ActingForPolicy {
  /** The senior's principal with `actedBy` set, or null when the actor may not act for them (404). */
  resolve(actor: Principal, seniorId: string): Promise<Principal | null>;
  /** Records an action taken for a senior (after it succeeded). */
  record(principal: Principal, action: string, subjectId: string | null): Promise<void>;
}

/**
 * Where the identity library plugs in its policy: the platform's guard knows that people may act
 * for seniors, not how family links or counters work.
 */
@Injectable()
export class ActingFor {
  private policy?: ActingForPolicy;

  use(policy: ActingForPolicy): void {
    this.policy = policy;
  }

  resolve(actor: Principal, seniorId: string): Promise<Principal | null> {
    return this.policy ? this.policy.resolve(actor, seniorId) : Promise.resolve(null);
  }

  record(principal: Principal, action: string, subjectId: string | null): Promise<void> {
    return this.policy ? this.policy.record(principal, action, subjectId) : Promise.resolve();
  }
}
