/**
 * Proves ID-card numbers are protected at rest: the users table holds ciphertext, a keyed hash
 * and a masked form, never the number, and the ciphertext decrypts to it only with the key.
 */
import { IdCardCipher } from '@app/platform';
import { createTestStack, http, type TestStack, uniquePhone, uniqueResidentId } from '@app/testing';

describe('personal data at rest', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(async () => stack.close());

  it('stores no plaintext ID number in any column of the users table', async () => {
    const idCardNumber = uniqueResidentId('1946-11-08');
    const registered = await http(stack)
      .post('/api/v1/auth/register')
      .send({ name: '周奶奶', phone: uniquePhone(), password: 'long-enough-1', idCardNumber })
      .expect(201);
    const rows: Record<string, unknown>[] = await stack.dataSource.query(`SELECT * FROM users WHERE id = $1`, [registered.body.user.id]);
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows[0]);
    expect(raw).not.toContain(idCardNumber);
    expect(raw).not.toContain(idCardNumber.slice(6, 14) + idCardNumber.slice(14, 17));
    expect(rows[0].id_card_masked).toBe(`${idCardNumber.slice(0, 6)}********${idCardNumber.slice(-4)}`);
    expect(rows[0].id_card_ciphertext).toMatch(/^v1\./);
    const cipher = stack.app.get(IdCardCipher);
    expect(cipher.reveal(rows[0].id_card_ciphertext as string)).toBe(idCardNumber);
    expect(rows[0].id_card_hash).toBe(cipher.hash(idCardNumber));
  });

  it('has the database refuse a plaintext ID number written straight into the protected columns', async () => {
    const idCardNumber = uniqueResidentId('1950-01-01');
    await expect(
      stack.dataSource.query(
        `INSERT INTO users (name, phone, password_hash, roles, id_card_ciphertext, id_card_hash, id_card_masked)
         VALUES ('x', $1, '$argon2id$x', '{SENIOR}', $2, $3, $4)`,
        [uniquePhone(), idCardNumber, 'a'.repeat(64), idCardNumber],
      ),
    ).rejects.toThrow(/ck_users_id_card_complete/);
  });
});
