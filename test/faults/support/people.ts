import type { Role } from '@app/platform';
import { createUsers } from '../../../bench/lib/people';
import type { FaultStack } from './stack';

export interface Person {
  id: string;
  token: string;
  auth: { Authorization: string };
  birthDate: string;
}

let batchCounter = 0;

/**
 * Signs the administrator that `migrate` created in over HTTP, as a person would.
 */
export async function signInAdmin(stack: FaultStack): Promise<Person> {
  const response = await fetch(`${stack.api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ phone: stack.run.adminPhone, password: stack.run.adminPassword }),
  });
  if (response.status !== 200) throw new Error(`administrator sign-in answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { accessToken: string; user: { id: string } };
  return { id: body.user.id, token: body.accessToken, auth: { Authorization: `Bearer ${body.accessToken}` }, birthDate: '' };
}

/**
 * Inserts many users at once with SQL (one argon2 hash shared by all, real encrypted ID
 * numbers) and issues each an access token with the stack's signing key. Registering hundreds
 * of seniors over HTTP would spend the battery's time on password hashing, which is not what
 * it tests.
 */
export async function createPeople(stack: FaultStack, roles: Role[], birthDates: string[], facilityIds: string[] = []): Promise<Person[]> {
  batchCounter += 1;
  // The batch number picks the phone block (and with it the ID numbers' region), so batches never collide.
  const users = await createUsers(stack.env, birthDates.length, roles, {
    birthDate: (index) => birthDates[index] ?? '',
    phonePrefix: String(130 + batchCounter),
    facilityIds,
  });
  return users.map((user) => ({ ...user, auth: { Authorization: `Bearer ${user.token}` } }));
}

/** ISO date `years` years (and a few days) before today. */
export function birthDateForAge(years: number): string {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() - 3)).toISOString().slice(0, 10);
}
