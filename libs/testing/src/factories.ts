import request from 'supertest';
import { AccessTokenService, makeResidentId, type Role } from '@app/platform';
import { UsersService, type UserView } from '@app/identity';
import { createTestStackWith, type TestStack, type TestStackOptions } from './test-stack';

let phoneCounter = 0;
let idCounter = 0;
const workerOffset = Number(process.env.JEST_WORKER_ID ?? '1') * 1_000_000;

/** A mobile number no other test of this run has used. */
export function uniquePhone(): string {
  phoneCounter += 1;
  const salt = (process.pid % 90) + 10;
  return `13${salt}${String((workerOffset + phoneCounter) % 10_000_000).padStart(7, '0')}`;
}

/** A valid resident ID number (correct check digit) for someone born on `birthDate`. */
export function uniqueResidentId(birthDate = '1950-06-15'): string {
  idCounter += 1;
  const region = String(110000 + ((process.pid * 7 + idCounter) % 800000)).slice(0, 6);
  return makeResidentId(region, birthDate, idCounter);
}

/** ISO date `years` years (and a few days) before today. */
export function birthDateForAge(years: number): string {
  const today = new Date();
  const date = new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() - 3));
  return date.toISOString().slice(0, 10);
}

export interface TestUser {
  user: UserView;
  token: string;
  /** `{ Authorization: 'Bearer …' }` for supertest's `.set()`. */
  auth: { Authorization: string };
  password: string;
}

let sharedHash: Promise<string> | undefined;
export const TEST_PASSWORD = 'test-password-1';

/**
 * Creates a user straight through the identity service (one argon2 hash shared by all test
 * users keeps this fast) and issues a token, as login would.
 */
export async function createUser(
  stack: TestStack,
  roles: Role[],
  options: { name?: string; facilityIds?: string[]; birthDate?: string; idCardNumber?: string; phone?: string } = {},
): Promise<TestUser> {
  const users = stack.app.get(UsersService);
  sharedHash ??= users.hashPassword(TEST_PASSWORD);
  const needsId = roles.includes('SENIOR') || options.birthDate !== undefined || options.idCardNumber !== undefined;
  const user = await users.create(
    {
      name: options.name ?? `测试${roles.join('')}${phoneCounter}`,
      phone: options.phone ?? uniquePhone(),
      password: TEST_PASSWORD,
      roles,
      facilityIds: options.facilityIds,
      idCardNumber: needsId ? (options.idCardNumber ?? uniqueResidentId(options.birthDate ?? birthDateForAge(70))) : undefined,
    },
    { passwordHash: await sharedHash },
  );
  const token = stack.app.get(AccessTokenService).issue({ id: user.id, roles: user.roles, facilityIds: user.facilityIds });
  return { user, token, auth: { Authorization: `Bearer ${token}` }, password: TEST_PASSWORD };
}

/** The configured administrator, signed in. */
export async function adminOf(stack: TestStack): Promise<TestUser> {
  return createUser(stack, ['ADMIN'], { name: '测试管理员' });
}

/**
 * A new test stack and its administrator, signed in: what most test files start from, as
 * `({ stack, admin } = await createStackWithAdmin())` in their `beforeAll`.
 */
export async function createStackWithAdmin(options: TestStackOptions = {}): Promise<{ stack: TestStack; admin: TestUser }> {
  return createTestStackWith(async (stack) => ({ admin: await adminOf(stack) }), options);
}

/** supertest bound to the stack's server. */
export function http(stack: TestStack): ReturnType<typeof request> {
  return request(stack.server);
}

/**
 * Polls `check` until it returns a value other than undefined/false, sleeping between tries;
 * fails with `message` after `timeoutMs`. Use it to wait for workers, never a busy loop.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waitFor timed out: ${options.message ?? 'condition not met'}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
