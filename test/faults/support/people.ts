import { Algorithm, hash } from '@node-rs/argon2';
import { AccessTokenService, IdCardCipher, loadConfig, makeResidentId, type Role } from '@app/platform';
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
  const config = loadConfig(stack.env);
  const cipher = new IdCardCipher(config);
  const tokens = new AccessTokenService(config);
  const passwordHash = await hash('fault-battery-password', { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  // The batch number picks the region and the phone block, so batches never collide.
  const region = String(310000 + batchCounter * 100 + (process.pid % 100));
  const rows = birthDates.map((birthDate, index) => {
    const protectedId = cipher.protect(makeResidentId(region, birthDate, index));
    return { phone: `15${String(batchCounter).padStart(2, '0')}${String(index).padStart(7, '0')}`, birthDate, protectedId };
  });
  const inserted = await stack.pg.query<{ id: string; birth_date: string; phone: string }>(
    `INSERT INTO users (name, phone, password_hash, roles, id_card_ciphertext, id_card_hash, id_card_masked, birth_date, facility_ids)
     SELECT '测试用户', phone, $1, $2::text[], cipher, hash, masked, birth::date, $8::uuid[]
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(phone, cipher, hash, masked, birth)
     RETURNING id, phone, to_char(birth_date, 'YYYY-MM-DD') AS birth_date`,
    [
      passwordHash,
      roles,
      rows.map((row) => row.phone),
      rows.map((row) => row.protectedId.ciphertext),
      rows.map((row) => row.protectedId.hash),
      rows.map((row) => row.protectedId.masked),
      rows.map((row) => row.birthDate),
      facilityIds,
    ],
  );
  const byPhone = new Map(inserted.map((row) => [row.phone, row]));
  return rows.map((row) => {
    const user = byPhone.get(row.phone);
    if (!user) throw new Error('a user of the batch was not inserted');
    const token = tokens.issue({ id: user.id, roles, facilityIds });
    return { id: user.id, token, auth: { Authorization: `Bearer ${token}` }, birthDate: user.birth_date };
  });
}

/** ISO date `years` years (and a few days) before today. */
export function birthDateForAge(years: number): string {
  const today = new Date();
  return new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() - 3)).toISOString().slice(0, 10);
}
