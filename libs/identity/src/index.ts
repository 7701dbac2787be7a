import { IdentityUsers1764400001000 } from './migrations/1764400001000-identity-users';
import { IdentityCounterFamily1764400002000 } from './migrations/1764400002000-identity-counter-family';
import { IdentityActedForStaff1764401000000 } from './migrations/1764401000000-identity-acted-for-staff';
import { IdentityPhoneUniqueWhileLive1764401040000 } from './migrations/1764401040000-identity-phone-unique-while-live';
import { IdentityIdCardCorrections1764401090000 } from './migrations/1764401090000-identity-id-card-corrections';
import { IdentityRemovedAccounts1764401100000 } from './migrations/1764401100000-identity-removed-accounts';
import { IdentityAdultRoles1764401110000 } from './migrations/1764401110000-identity-adult-roles';
import { UserEntity } from './user.entity';

export { IdentityModule, IdentityHttpModule } from './identity.module';
export { IdentitySeeder } from './identity.seeder';
export { VolunteerEndings, type VolunteerEnding } from './volunteer-endings';
export { AccountRemovals, type AccountRemoval } from './account-removals';
export { UsersService, type UserView, type CreateUserInput, type ActedForEntry } from './users.service';
export { IdentityError, IdentityErrorCode } from './identity.errors';
export { isCardNumber, maskPhone } from './service-card';

/** Identity's entity (users, read through a repository) and migrations, composed into every program's schema. */
export const identityEntities = [UserEntity];
export const identityMigrations = [
  IdentityUsers1764400001000,
  IdentityCounterFamily1764400002000,
  IdentityActedForStaff1764401000000,
  IdentityPhoneUniqueWhileLive1764401040000,
  IdentityIdCardCorrections1764401090000,
  IdentityRemovedAccounts1764401100000,
  IdentityAdultRoles1764401110000,
];
