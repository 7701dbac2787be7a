import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';

export const Role = {
  ADMIN: 'ADMIN',
  MANAGER: 'MANAGER',
  VOLUNTEER: 'VOLUNTEER',
  SENIOR: 'SENIOR',
  /** Staff of a street or community service counter (社区服务窗口): registers seniors and acts for them. */
  COUNTER: 'COUNTER',
  /** A relative (of any age) who may act for the seniors linked to them. */
  FAMILY: 'FAMILY',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ALL_ROLES: readonly Role[] = Object.values(Role);

/**
 * How someone acting for a senior is entitled to. `MANAGER` is only ever recorded, never resolved:
 * a care-centre manager does not act through `seniorId`, but deciding a senior's service for them
 * (StaffScope) is an act for the senior and enters their record as one.
 */
export type ActingAs = 'FAMILY' | 'COUNTER' | 'ADMIN' | 'MANAGER';

/** The person who acted for a senior (absent when the senior acted themself). */
export interface ActedBy {
  id: string;
  name: string;
  as: ActingAs;
}

/**
 * Who is calling: taken from a verified access token. When a counter worker, an administrator or
 * a linked relative acts for a senior, `id`, `roles` and `facilityIds` are the senior's (so every
 * domain applies the senior's own rules) and `actedBy` names who really acted.
 */
export interface Principal {
  id: string;
  roles: Role[];
  /** Facilities a manager is assigned to; empty for other roles. */
  facilityIds: string[];
  /** The token's version; a token older than the user's current version is refused. */
  tokenVersion?: number;
  actedBy?: ActedBy;
}

export const ACCESS_METADATA = 'eldercare:access';
export type AccessRule = { kind: 'public' } | { kind: 'roles'; roles: Role[] };

/** The route is open to anyone, signed in or not. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** The route is open to signed-in callers holding at least one of these roles. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessRule);

/** Any signed-in caller, whatever the role. */
export const AnyRole = (): MethodDecorator & ClassDecorator => Roles(...ALL_ROLES);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ user?: Principal }>();
  if (!request.user) throw new Error('CurrentUser used on a route without authentication');
  return request.user;
});

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}
