import { Injectable } from '@nestjs/common';
import { CareRecordsService } from '@app/care-centre';
import { UsersService } from '@app/identity';
import type { Addressee } from '@app/notifications';
import { hasRole, type Principal, Role } from '@app/platform';

/**
 * Who may act in the time bank as staff for a person (confirm or reject a service given to
 * them, complete or cancel their redemption, read their records): an administrator always; a
 * manager for the seniors who attend one of the manager's care centres (have checked in there).
 * Anyone else is told the record does not exist, as for any record that is not theirs.
 */
@Injectable()
export class StaffScope {
  constructor(
    private readonly care: CareRecordsService,
    private readonly users: UsersService,
  ) {}

  /** Whether the principal is staff for the person `personOf` names (read only when it matters). */
  async actsFor(principal: Principal, personOf: string | null | (() => Promise<string | null>)): Promise<boolean> {
    if (hasRole(principal, Role.ADMIN)) return true;
    if (!hasRole(principal, Role.MANAGER) || principal.facilityIds.length === 0) return false;
    const person = typeof personOf === 'function' ? await personOf() : personOf;
    return person !== null && this.care.attendsAnyOf(person, principal.facilityIds);
  }

  /**
   * Whom to ask about a person's record: the managers of the care centres the person attends,
   * who know them, but never `except` (whose own record it is); when there are none, every
   * administrator.
   */
  async staffOf(personId: string, except: string): Promise<Addressee[]> {
    const managers = (await this.users.managersOf(await this.care.centresAttendedBy(personId))).filter((id) => id !== except);
    return managers.length > 0 ? managers.map((userId) => ({ userId })) : [{ role: 'ADMIN' }];
  }

  /** Everyone the principal is staff for: `'all'` for an administrator, else the seniors of their care centres (none for others). */
  async people(principal: Principal): Promise<'all' | string[]> {
    if (hasRole(principal, Role.ADMIN)) return 'all';
    if (!hasRole(principal, Role.MANAGER)) return [];
    return this.care.seniorsAttending(principal.facilityIds);
  }
}
