import { CommonError } from '../http/domain-error';
import { hasRole, type Principal, Role } from './roles';

/**
 * What a caller may do to one object named by id, beyond the roles its route admits. Every check
 * a service makes on an object is one of these, so each rule is written once (docs/architecture.md,
 * "Access").
 */
export const Permission = {
  /** Act on a facility (a home, a hospital or a care centre) and what it holds: its managers and administrators. */
  FacilityManage: 'facility.manage',
  /** Record at a care centre (check-ins, services): its own managers only; administrators oversee, they do not record. */
  FacilityOperate: 'facility.operate',
  /** Read or act on what a user owns (an account, a statement, a ticket), the id being the owner's: the owner and administrators. */
  OwnerOrAdmin: 'owner-or-admin',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

/** Each rule, for an id that may be null: an object without an owner or facility (a system account) matches no one but an administrator. */
const RULES: Record<Permission, (principal: Principal, id: string | null) => boolean> = {
  [Permission.FacilityManage]: (principal, id) =>
    hasRole(principal, Role.ADMIN) || (id !== null && hasRole(principal, Role.MANAGER) && principal.facilityIds.includes(id)),
  [Permission.FacilityOperate]: (principal, id) => id !== null && hasRole(principal, Role.MANAGER) && principal.facilityIds.includes(id),
  [Permission.OwnerOrAdmin]: (principal, id) => (id !== null && principal.id === id) || hasRole(principal, Role.ADMIN),
};

export function hasAccess(principal: Principal, permission: Permission, id: string | null): boolean {
  return RULES[permission](principal, id);
}

/**
 * How a refusal answers: `{ notFound: 'resident' }` when the caller must not learn that the object
 * exists (404 "No such resident"), `{ forbidden: '…' }` when its existence is public (403 with that
 * detail, e.g. a facility, whose list everyone can read).
 */
export type Refusal = { notFound: string } | { forbidden: string };

/** Throws the refusal unless `principal` has `permission` on every id (and there is at least one). */
export function requireAccess(principal: Principal, permission: Permission, ids: string | null | readonly string[], refusal: Refusal): void {
  const all = ids === null || typeof ids === 'string' ? [ids] : ids;
  if (all.length > 0 && all.every((id) => hasAccess(principal, permission, id))) return;
  throw 'notFound' in refusal ? CommonError.notFound(refusal.notFound) : CommonError.forbidden(refusal.forbidden);
}
