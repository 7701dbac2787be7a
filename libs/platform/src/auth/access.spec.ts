/** Proves each object rule of the access table, and how a refusal answers. */
import { DomainError } from '../http/domain-error';
import { hasAccess, Permission, requireAccess } from './access';
import { type Principal, Role } from './roles';

const HOME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const admin: Principal = { id: 'a', roles: [Role.ADMIN], facilityIds: [] };
const manager: Principal = { id: 'm', roles: [Role.MANAGER], facilityIds: [HOME] };
const senior: Principal = { id: 's', roles: [Role.SENIOR], facilityIds: [HOME] };

function refusalOf(work: () => void): { kind: string; detail: string } | null {
  try {
    work();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { kind: error.kind, detail: error.detail };
  }
}

describe('access rules', () => {
  it('lets administrators and a facility’s own managers manage it, and no one else', () => {
    expect(hasAccess(admin, Permission.FacilityManage, OTHER)).toBe(true);
    expect(hasAccess(manager, Permission.FacilityManage, HOME)).toBe(true);
    expect(hasAccess(manager, Permission.FacilityManage, OTHER)).toBe(false);
    expect(hasAccess(senior, Permission.FacilityManage, HOME)).toBe(false);
    expect(hasAccess(admin, Permission.FacilityManage, null)).toBe(true);
    expect(hasAccess(manager, Permission.FacilityManage, null)).toBe(false);
  });

  it('lets only a centre’s own managers record at it, not administrators', () => {
    expect(hasAccess(manager, Permission.FacilityOperate, HOME)).toBe(true);
    expect(hasAccess(manager, Permission.FacilityOperate, OTHER)).toBe(false);
    expect(hasAccess(admin, Permission.FacilityOperate, HOME)).toBe(false);
  });

  it('lets the owner and administrators at what a user owns; an object without an owner is the administrators’', () => {
    expect(hasAccess(senior, Permission.OwnerOrAdmin, 's')).toBe(true);
    expect(hasAccess(senior, Permission.OwnerOrAdmin, 'm')).toBe(false);
    expect(hasAccess(admin, Permission.OwnerOrAdmin, 's')).toBe(true);
    expect(hasAccess(senior, Permission.OwnerOrAdmin, null)).toBe(false);
    expect(hasAccess(admin, Permission.OwnerOrAdmin, null)).toBe(true);
  });

  it('refuses as not found when existence is hidden and as forbidden when it is public; every id must pass, and at least one is needed', () => {
    expect(refusalOf(() => requireAccess(manager, Permission.FacilityManage, HOME, { forbidden: 'not yours' }))).toBeNull();
    expect(refusalOf(() => requireAccess(manager, Permission.FacilityManage, OTHER, { forbidden: 'not yours' }))).toEqual({
      kind: 'forbidden',
      detail: 'not yours',
    });
    expect(refusalOf(() => requireAccess(senior, Permission.OwnerOrAdmin, 'm', { notFound: 'account' }))?.kind).toBe('not_found');
    expect(refusalOf(() => requireAccess(manager, Permission.FacilityManage, [HOME, OTHER], { notFound: 'bed' }))?.kind).toBe('not_found');
    expect(refusalOf(() => requireAccess(admin, Permission.FacilityManage, [], { notFound: 'bed' }))?.kind).toBe('not_found');
  });
});
