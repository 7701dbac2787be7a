/**
 * Proves the audit gives the same answer from a checkpoint as from the whole journal, keeps
 * counting what comes after it, still catches a tampered balance and a forged leg, and that a
 * checkpoint can be neither rewritten nor written without new entries.
 */
import { LedgerService } from '@app/time-bank';
import { createUser, http, type TestStack, type TestUser } from '@app/testing';
import { account, bookingTime, createStackWithSenior, earn, olderVolunteer, redeem } from './helpers';

describe('time-bank audit from a checkpoint', () => {
  let stack: TestStack;
  let admin: TestUser;
  let senior: TestUser;
  beforeAll(async () => ({ stack, admin, senior } = await createStackWithSenior()));
  afterAll(async () => stack.close());

  const audit = async (): Promise<Record<string, unknown> & { mismatches: unknown[] }> =>
    (await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200)).body;

  it('audits from a checkpoint exactly as from the whole journal, and counts what follows it', async () => {
    const ledger = stack.app.get(LedgerService);
    const volunteer = await olderVolunteer(stack);
    const family = await createUser(stack, ['VOLUNTEER']);
    await earn(stack, volunteer, senior, 120);
    await http(stack).post('/api/v1/time-bank/gifts').set(volunteer.auth).send({ toUserId: family.user.id, minutes: 30, relationship: 'CHILD' }).expect(201);
    const whole = await audit();
    expect(whole).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });

    expect(await ledger.checkpoint(1)).toBe(true);
    const checkpoints: { through_seq: string; legs: string }[] = await stack.dataSource.query(`SELECT through_seq, legs FROM time_bank_audit_checkpoints`);
    const newest: { seq: string; legs: string }[] = await stack.dataSource.query(
      `SELECT max(seq) AS seq, count(*) FILTER (WHERE transfer_id IS NOT NULL) AS legs FROM time_bank_entries`,
    );
    expect(checkpoints).toEqual([{ through_seq: newest[0]?.seq, legs: newest[0]?.legs }]);
    expect(await audit()).toEqual(whole);
    // Nothing new since: no second checkpoint.
    expect(await ledger.checkpoint(1)).toBe(false);

    await earn(stack, volunteer, senior, 60);
    await redeem(stack, volunteer, { serviceType: 'CLEANING', minutes: 45, scheduledFor: bookingTime(18) }, 201);
    const after = await audit();
    expect(after).toMatchObject({
      sumOfBalancesMinutes: 0,
      mismatches: [],
      issuedMinutes: (whole.issuedMinutes as number) + 60,
      heldMinutes: (whole.heldMinutes as number) + 45,
    });
    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 150, heldMinutes: 45 });
  });

  it('still reports a tampered balance and a forged leg of an old transfer, and refuses to rewrite a checkpoint', async () => {
    const ledger = stack.app.get(LedgerService);
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    await earn(stack, volunteer, senior, 90);
    const { accountId } = await account(stack, volunteer);
    expect(await ledger.checkpoint(1)).toBe(true);

    await stack.dataSource.query(`UPDATE time_bank_accounts SET balance_minutes = 95 WHERE id = $1`, [accountId]);
    expect((await audit()).mismatches).toEqual([
      { accountId, transferId: null, problem: 'BALANCE_DIFFERS_FROM_JOURNAL', expectedMinutes: 90, actualMinutes: 95 },
    ]);

    // A third leg slipped into a transfer from before the checkpoint, past the triggers.
    const transfers: { id: string }[] = await stack.dataSource.query(`SELECT id FROM time_bank_transfers WHERE credit_account_id = $1`, [accountId]);
    const transferId = transfers[0]?.id;
    const { accountId: otherAccountId } = await account(stack, await createUser(stack, ['VOLUNTEER']));
    await stack.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(
        `INSERT INTO time_bank_entries (account_id, transfer_id, kind, minutes, balance_after_minutes, held_after_minutes) VALUES ($1, $2, 'REVERSAL', 5, 95, 0)`,
        [otherAccountId, transferId],
      );
    });
    const report = await audit();
    expect(report.mismatches).toEqual(
      expect.arrayContaining([{ accountId: null, transferId, problem: 'UNBALANCED_TRANSFER', expectedMinutes: 0, actualMinutes: 5 }]),
    );

    await expect(stack.dataSource.query(`UPDATE time_bank_checkpoint_balances SET balance_minutes = 0 WHERE account_id = $1`, [accountId])).rejects.toThrow(
      /append-only/,
    );
  });
});
