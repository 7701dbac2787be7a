import { ageOn, Role } from '@app/platform';

/**
 * The roles only an adult holds, 18 or over by the birth date the ID number gives: a volunteer
 * gives services alone in seniors' homes, and a senior's account is a resident's own. The
 * database holds the same rule (`ck_users_adult_roles`, a trigger).
 */
export const ADULT_ROLES: readonly Role[] = [Role.SENIOR, Role.VOLUNTEER];

/** Whether these roles, held by a person born on this date, break the rule; no birth date on file breaks nothing. */
export function tooYoungFor(roles: readonly Role[], birthDate: string | null): boolean {
  return birthDate !== null && roles.some((role) => ADULT_ROLES.includes(role)) && ageOn(birthDate) < 18;
}
