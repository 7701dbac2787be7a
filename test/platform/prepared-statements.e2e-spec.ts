/**
 * Proves that the hot statements reach PostgreSQL prepared, and that the switch turns it off: on
 * a pool of one connection (so the test reads the session the API used), a bed move and a gift
 * leave `bed_act` and `time_bank_batch` in `pg_prepared_statements` with the statements the
 * repositories send; a refusal through the prepared statement is still the contract's answer; and
 * with `DATABASE_PREPARED_STATEMENTS=off` the same calls work and prepare nothing.
 */
import { BED_ACT_STATEMENT } from '@app/bed-inventory';
import { createUser, http, type TestStack } from '@app/testing';
import { LEDGER_BATCH_STATEMENT } from '@app/time-bank';
import { addBeds, bedAction, createStackWithHome, type FacilityFixture } from '../bed-inventory/bed-fixtures';
import { earn } from '../time-bank/helpers';

async function prepared(stack: TestStack): Promise<Map<string, string>> {
  const rows: { name: string; statement: string }[] = await stack.dataSource.query(`SELECT name, statement FROM pg_prepared_statements`);
  return new Map(rows.map((row) => [row.name, row.statement]));
}

/** A bed to maintenance and back, a refused reopen in between, and a gift of minutes just earned. */
async function moveAndGive(stack: TestStack, home: FacilityFixture): Promise<void> {
  const [bed] = await addBeds(stack, home, 1);
  await bedAction(stack, home.manager, bed, 'maintenance', { reason: '检修' }).expect(200);
  const refused = await bedAction(stack, home.manager, bed, 'cleaned');
  expect(refused.status).toBe(409);
  expect(refused.body.code).toBe('ILLEGAL_TRANSITION');
  const reopened = await bedAction(stack, home.manager, bed, 'reopen').expect(200);
  expect(reopened.body).toMatchObject({ status: 'AVAILABLE', version: 3 });

  const giver = await createUser(stack, ['VOLUNTEER']);
  const elder = await createUser(stack, ['SENIOR']);
  await earn(stack, giver, elder, 60);
  const gift = await http(stack).post('/api/v1/time-bank/gifts').set(giver.auth).send({ toUserId: elder.user.id, minutes: 30, relationship: 'PARENT' });
  expect(gift.status).toBe(201);
  const account = await http(stack).get('/api/v1/time-bank/accounts/me').set(giver.auth).expect(200);
  expect(account.body.balanceMinutes).toBe(30);
}

describe('prepared hot statements', () => {
  describe('on (the default)', () => {
    let stack: TestStack;
    let home: FacilityFixture;
    beforeAll(async () => ({ stack, home } = await createStackWithHome({ config: { databasePoolSize: 1 } })));
    afterAll(async () => stack.close());

    it('prepares bed_act and the ledger batch once on the connection, under their names', async () => {
      expect(stack.config.databasePreparedStatements).toBe(true);
      await moveAndGive(stack, home);
      const statements = await prepared(stack);
      expect(statements.get('bed_act')).toBe(BED_ACT_STATEMENT.text);
      expect(statements.get('time_bank_batch')).toBe(LEDGER_BATCH_STATEMENT.text);
    });
  });

  describe('off', () => {
    let stack: TestStack;
    let home: FacilityFixture;
    beforeAll(async () => ({ stack, home } = await createStackWithHome({ config: { databasePoolSize: 1, databasePreparedStatements: false } })));
    afterAll(async () => stack.close());

    it('sends the same statements unnamed: the same answers, nothing prepared', async () => {
      await moveAndGive(stack, home);
      const statements = await prepared(stack);
      expect(statements.has('bed_act')).toBe(false);
      expect(statements.has('time_bank_batch')).toBe(false);
      expect([...statements.values()]).not.toContain(BED_ACT_STATEMENT.text);
    });
  });
});
