import { Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import { Client } from 'pg';
import { AccessTokenService, ageOn, IdCardCipher, loadConfig, makeResidentId, type Role } from '@app/platform';

export interface BenchUser {
  id: string;
  token: string;
  birthDate: string;
}

/**
 * Inserts `count` users in bulk (one shared password hash, real encrypted ID numbers) and
 * prepares an access token for each, so the load generator spends no time signing in.
 */
export async function createUsers(
  env: Record<string, string>,
  count: number,
  roles: Role[],
  options: { birthDate?: (index: number) => string; phonePrefix?: string; facilityIds?: string[] } = {},
): Promise<BenchUser[]> {
  const config = loadConfig(env);
  const cipher = new IdCardCipher(config);
  const tokens = new AccessTokenService(config);
  const hash = await argon2Hash('bench-password-1', { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const users: BenchUser[] = [];
  try {
    const prefix = options.phonePrefix ?? '150';
    for (let start = 0; start < count; start += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => start + offset);
      const rows = batch.map((index) => {
        const birthDate = options.birthDate?.(index) ?? `19${40 + (index % 20)}-0${1 + (index % 9)}-1${index % 10}`;
        // The phone prefix picks the region, so users of different batches never share an ID number.
        const idNumber = makeResidentId(String(110000 + Number(prefix) * 1000 + Math.floor(index / 1000)), birthDate, index % 1000);
        const protectedId = cipher.protect(idNumber);
        return { phone: `${prefix}${String(index).padStart(8, '0')}`, birthDate, protectedId };
      });
      const result = await client.query<{ id: string; birth_date: string }>(
        `INSERT INTO users (name, phone, password_hash, roles, id_card_ciphertext, id_card_hash, id_card_masked, birth_date, facility_ids)
         SELECT '压测用户', phone, $1, $2::text[], cipher, hash, masked, birth::date, $8::uuid[]
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(phone, cipher, hash, masked, birth)
         RETURNING id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date`,
        [
          hash,
          roles,
          rows.map((row) => row.phone),
          rows.map((row) => row.protectedId.ciphertext),
          rows.map((row) => row.protectedId.hash),
          rows.map((row) => row.protectedId.masked),
          rows.map((row) => row.birthDate),
          options.facilityIds ?? [],
        ],
      );
      for (const row of result.rows) {
        users.push({ id: row.id, birthDate: row.birth_date, token: tokens.issue({ id: row.id, roles, facilityIds: options.facilityIds ?? [] }) });
      }
    }
  } finally {
    await client.end();
  }
  if (users.some((user) => ageOn(user.birthDate) < 0)) throw new Error('impossible birth date');
  return users;
}
