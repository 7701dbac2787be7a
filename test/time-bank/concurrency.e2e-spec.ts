/**
 * Proves the ledger holds under concurrency and against direct SQL: one Idempotency-Key sent ten
 * times at once holds once and answers ten times alike, parallel holds never exceed the balance,
 * and the database itself refuses edits of posted transfers and negative balances.
 */
import fc from 'fast-check';
import type { QueryRunner } from 'typeorm';
import { createUser, http, type TestStack, type TestUser } from '@app/testing';
import { account, bookingTime, createStackWithSenior, earn, olderVolunteer } from './helpers';

/** Booking times fixed once per run, so a retried or compared operation sends the very same body. */
const BOOKED_FOR_10 = bookingTime(10);
const BOOKED_FOR_12 = bookingTime(12);

describe('time bank under concurrency', () => {
  let stack: TestStack;
  let admin: TestUser;
  let senior: TestUser;
  beforeAll(async () => ({ stack, admin, senior } = await createStackWithSenior()));
  afterAll(async () => stack.close());

  /** Statements and operations of the ledger's group commit so far, from /metrics. */
  async function batchCounts(): Promise<{ batches: number; operations: number }> {
    const scrape = (await http(stack).get('/metrics').expect(200)).text;
    const value = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(scrape)?.[1] ?? 0);
    return { batches: value('time_bank_batch_operations_count'), operations: value('time_bank_batch_operations_sum') };
  }

  it('holds once for ten identical redemptions sent at once with one Idempotency-Key, and answers all ten alike', async () => {
    const holder = await olderVolunteer(stack);
    await earn(stack, holder, senior, 240);
    const body = { serviceType: 'COMPANIONSHIP', minutes: 90, scheduledFor: bookingTime(8), note: '陪同就医' };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => http(stack).post('/api/v1/time-bank/redemptions').set(holder.auth).set('Idempotency-Key', 'redeem-once-1').send(body)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 201));
    const first = responses[0]?.body;
    expect(first).toMatchObject({ id: expect.any(String), status: 'HELD', minutes: 90 });
    for (const response of responses) expect(response.body).toEqual(first);
    expect(await account(stack, holder)).toMatchObject({ balanceMinutes: 240, heldMinutes: 90, availableMinutes: 150 });
    const rows: { count: number }[] = await stack.dataSource.query(`SELECT count(*)::int AS count FROM time_bank_redemptions WHERE user_id = $1`, [
      holder.user.id,
    ]);
    expect(rows[0]?.count).toBe(1);
    const entries = await http(stack).get('/api/v1/time-bank/accounts/me/entries').set(holder.auth).expect(200);
    expect(entries.body.items.filter((entry: { kind: string }) => entry.kind === 'HELD')).toHaveLength(1);

    const later = await http(stack).post('/api/v1/time-bank/redemptions').set(holder.auth).set('Idempotency-Key', 'redeem-once-1').send(body).expect(201);
    expect(later.body).toEqual(first);
    const reused = await http(stack)
      .post('/api/v1/time-bank/redemptions')
      .set(holder.auth)
      .set('Idempotency-Key', 'redeem-once-1')
      .send({ ...body, minutes: 30 })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await account(stack, holder)).heldMinutes).toBe(90);
  });

  it('replays a gift for a repeated key and moves its minutes once', async () => {
    const giver = await createUser(stack, ['VOLUNTEER']);
    const spouse = await createUser(stack, ['SENIOR']);
    await earn(stack, giver, senior, 120);
    const send = (): ReturnType<ReturnType<typeof http>['post']> =>
      http(stack)
        .post('/api/v1/time-bank/gifts')
        .set(giver.auth)
        .set('Idempotency-Key', 'gift-key-1')
        .send({ toUserId: spouse.user.id, minutes: 50, relationship: 'SPOUSE' });
    const responses = await Promise.all([send(), send(), send(), send(), send()]);
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([201]));
    // The stored first response comes back from jsonb, which may order keys differently: compare values.
    for (const response of responses) expect(response.body).toEqual(responses[0]?.body);
    expect((await account(stack, spouse)).balanceMinutes).toBe(50);
    expect((await account(stack, giver)).balanceMinutes).toBe(70);
  });

  it('never holds more than the balance when many redemptions race for it', async () => {
    const holder = await olderVolunteer(stack);
    await earn(stack, holder, senior, 300);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        http(stack)
          .post('/api/v1/time-bank/redemptions')
          .set(holder.auth)
          .set('Idempotency-Key', `race-${index}`)
          .send({ serviceType: 'CLEANING', minutes: 60, scheduledFor: bookingTime(9) }),
      ),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(5);
    expect(responses.filter((response) => response.status === 422).every((response) => response.body.code === 'INSUFFICIENT_MINUTES')).toBe(true);
    expect(await account(stack, holder)).toMatchObject({ balanceMinutes: 300, heldMinutes: 300, availableMinutes: 0 });
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });
  });

  it('runs a batch operation by operation: a refused one rolls back alone, a repeated key in the same batch is answered, the rest commit', async () => {
    const holder = await olderVolunteer(stack);
    const spouse = await createUser(stack, ['SENIOR']);
    await earn(stack, holder, senior, 100);
    const hold = (key: string, minutes: number): Record<string, unknown> => ({
      op: 'hold',
      user: holder.user.id,
      key,
      hash: `hash-${minutes}`,
      serviceType: 'CLEANING',
      minutes,
      scheduledFor: BOOKED_FOR_10,
      note: null,
      bornBy: '1966-01-01',
      minAge: 60,
    });
    const gift = (key: string, to: string, minutes: number): Record<string, unknown> => ({
      op: 'gift',
      user: holder.user.id,
      key,
      hash: `hash-gift-${minutes}`,
      to,
      minutes,
      relationship: 'SPOUSE',
      limit: 6000,
    });
    const rows: {
      item: number;
      answer: { status: number; body: { id: string }; replayed: boolean } | null;
      failure: { code: string; message: string } | null;
    }[] = await stack.dataSource.query(`SELECT item, answer, failure FROM time_bank_batch($1::jsonb) ORDER BY item`, [
      JSON.stringify([
        hold('batch-a', 40),
        hold('batch-b', 500),
        gift('batch-c', '00000000-0000-4000-8000-00000000dead', 10),
        gift('batch-d', spouse.user.id, 20),
        hold('batch-a', 40),
        hold('batch-e', 41),
      ]),
    ]);
    expect(rows.map((row) => row.item)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows[0]).toMatchObject({ answer: { status: 201, replayed: false }, failure: null });
    expect(rows[1]).toMatchObject({ answer: null, failure: { code: 'TB000', message: 'INSUFFICIENT_MINUTES' } });
    expect(rows[2]).toMatchObject({ answer: null, failure: { code: 'TB000', message: 'NOT_FOUND' } });
    expect(rows[3]).toMatchObject({ answer: { status: 201, replayed: false }, failure: null });
    expect(rows[4]).toMatchObject({ answer: { status: 201, replayed: true, body: { id: rows[0]?.answer?.body.id } }, failure: null });
    // 100 earned − 40 held − 20 given leaves 40 available: the last hold of 41 is refused.
    expect(rows[5]).toMatchObject({ answer: null, failure: { code: 'TB000', message: 'INSUFFICIENT_MINUTES' } });
    expect(await account(stack, holder)).toMatchObject({ balanceMinutes: 80, heldMinutes: 40, availableMinutes: 40 });
    expect(await account(stack, spouse)).toMatchObject({ balanceMinutes: 20 });
    // The refused operations left nothing behind, not even their keys.
    const keys: { key: string }[] = await stack.dataSource.query(`SELECT key FROM idempotency_keys WHERE user_id = $1 AND key LIKE 'batch-%' ORDER BY key`, [
      holder.user.id,
    ]);
    expect(keys.map((row) => row.key)).toEqual(['batch-a', 'batch-d']);
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });
  });

  it('answers any batch as the same operations would be answered one at a time, each in its own subtransaction', async () => {
    const holders = await Promise.all(Array.from({ length: 3 }, () => olderVolunteer(stack)));
    for (const holder of holders) await earn(stack, holder, senior, 100);
    const nobody = '00000000-0000-4000-8000-00000000dead';
    const people = [...holders.map((holder) => holder.user.id), nobody];
    type Op = { op: 'hold'; user: number; key: number; minutes: number } | { op: 'gift'; user: number; key: number; to: number; minutes: number };
    const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('hold' as const), user: fc.nat(2), key: fc.nat(3), minutes: fc.constantFrom(10, 40, 90) }),
      fc.record({ op: fc.constant('gift' as const), user: fc.nat(2), key: fc.nat(3), to: fc.nat(3), minutes: fc.constantFrom(10, 30, 60) }),
    );
    // Small numbers so that refusals of every kind come up: too few minutes, the yearly gift limit
    // (70), a receiver who does not exist, a key used again for a different request, and replays.
    const asLedger = (op: Op, run: number): Record<string, unknown> =>
      op.op === 'hold'
        ? {
            op: 'hold',
            user: people[op.user],
            key: `p${run}-h${op.key}`,
            hash: `h${op.minutes}`,
            serviceType: 'CLEANING',
            minutes: op.minutes,
            scheduledFor: BOOKED_FOR_12,
            note: null,
            bornBy: '1966-01-01',
            minAge: 60,
          }
        : {
            op: 'gift',
            user: people[op.user],
            key: `p${run}-g${op.key}`,
            hash: `g${op.minutes}-${op.to}`,
            to: people[op.to],
            minutes: op.minutes,
            relationship: 'SIBLING',
            limit: 70,
          };
    type Outcome = { status?: number; replayed?: boolean; refused?: string };
    /** Runs `work` in a transaction that is rolled back, and returns its outcomes with the accounts' balances at the end. */
    async function rolledBack(work: (runner: QueryRunner) => Promise<Outcome[]>): Promise<{ outcomes: Outcome[]; accounts: unknown[] }> {
      const runner = stack.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        const outcomes = await work(runner);
        const accounts: unknown[] = await runner.query(
          `SELECT user_id, balance_minutes, held_minutes FROM time_bank_accounts WHERE user_id = ANY($1::uuid[]) ORDER BY user_id`,
          [people],
        );
        return { outcomes, accounts };
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    }
    let run = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 16 }), async (ops) => {
        run += 1;
        const ledgerOps = ops.map((op) => asLedger(op, run));
        const batched = await rolledBack(async (runner) => {
          const rows: { answer: { status: number; replayed: boolean } | null; failure: { message: string } | null }[] = await runner.query(
            `SELECT answer, failure FROM time_bank_batch($1::jsonb) ORDER BY item`,
            [JSON.stringify(ledgerOps)],
          );
          return rows.map((row) => (row.failure ? { refused: row.failure.message } : { status: row.answer?.status, replayed: row.answer?.replayed }));
        });
        const oneByOne = await rolledBack(async (runner) => {
          const outcomes: Outcome[] = [];
          for (const op of ledgerOps) {
            await runner.query('SAVEPOINT one');
            try {
              const [{ answer }]: { answer: { status: number; replayed: boolean } }[] =
                op.op === 'hold'
                  ? await runner.query(`SELECT time_bank_hold($1, $2, $3, $4, $5, $6, $7, $8, $9) AS answer`, [
                      op.user,
                      op.key,
                      op.hash,
                      op.serviceType,
                      op.minutes,
                      op.scheduledFor,
                      op.note,
                      op.bornBy,
                      op.minAge,
                    ])
                  : await runner.query(`SELECT time_bank_gift($1, $2, $3, $4, $5, $6, $7) AS answer`, [
                      op.user,
                      op.key,
                      op.hash,
                      op.to,
                      op.minutes,
                      op.relationship,
                      op.limit,
                    ]);
              await runner.query('RELEASE SAVEPOINT one');
              outcomes.push({ status: answer.status, replayed: answer.replayed });
            } catch (error) {
              await runner.query('ROLLBACK TO SAVEPOINT one');
              outcomes.push({ refused: (error as Error).message });
            }
          }
          return outcomes;
        });
        refusals += oneByOne.outcomes.filter((outcome) => outcome.refused).length;
        expect(batched).toEqual(oneByOne);
      }),
      { numRuns: 40 },
    );
    // The runs did meet refusals (the case the batch's regrouping is for).
    expect(refusals).toBeGreaterThan(20);
  });

  it('groups concurrent requests into batches and answers each request with its own outcome', async () => {
    const holders = await Promise.all(Array.from({ length: 6 }, () => olderVolunteer(stack)));
    for (const holder of holders) await earn(stack, holder, senior, 100);
    const before = await batchCounts();
    // Each holder asks for five holds of 30 minutes at once: three fit in 100, two are refused.
    const responses = await Promise.all(
      holders.flatMap((holder) =>
        Array.from({ length: 5 }, (_, index) =>
          http(stack)
            .post('/api/v1/time-bank/redemptions')
            .set(holder.auth)
            .set('Idempotency-Key', `grouped-${index}`)
            .send({ serviceType: 'CLEANING', minutes: 30, scheduledFor: bookingTime(11) })
            .then((response) => ({ holder: holder.user.id, status: response.status, code: response.body.code as string | undefined })),
        ),
      ),
    );
    for (const holder of holders) {
      const mine = responses.filter((response) => response.holder === holder.user.id);
      expect(mine.filter((response) => response.status === 201)).toHaveLength(3);
      expect(mine.filter((response) => response.status === 422).map((response) => response.code)).toEqual(['INSUFFICIENT_MINUTES', 'INSUFFICIENT_MINUTES']);
      expect(await account(stack, holder)).toMatchObject({ balanceMinutes: 100, heldMinutes: 90 });
    }
    const after = await batchCounts();
    // 30 operations went in fewer statements than operations: some were grouped.
    expect(after.operations - before.operations).toBe(30);
    expect(after.batches - before.batches).toBeLessThan(30);
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });
  });

  it('refuses, at the database, edits of a posted transfer and a volunteer balance below zero', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    await earn(stack, volunteer, senior, 60);
    const { accountId } = await account(stack, volunteer);
    const transfers: { id: string }[] = await stack.dataSource.query(`SELECT id FROM time_bank_transfers WHERE credit_account_id = $1`, [accountId]);
    const transferId = transfers[0]?.id;
    expect(transferId).toEqual(expect.any(String));

    const sql = stack.dataSource;
    await expect(sql.query(`UPDATE time_bank_transfers SET minutes = 6000 WHERE id = $1`, [transferId])).rejects.toThrow(/append-only/);
    await expect(sql.query(`DELETE FROM time_bank_transfers WHERE id = $1`, [transferId])).rejects.toThrow(/append-only/);
    await expect(sql.query(`UPDATE time_bank_entries SET minutes = 6000 WHERE transfer_id = $1`, [transferId])).rejects.toThrow(/append-only/);
    await expect(sql.query(`DELETE FROM time_bank_entries WHERE transfer_id = $1`, [transferId])).rejects.toThrow(/append-only/);
    await expect(sql.query(`TRUNCATE time_bank_entries CASCADE`)).rejects.toThrow(/append-only/);
    await expect(sql.query(`UPDATE time_bank_accounts SET balance_minutes = -1 WHERE id = $1`, [accountId])).rejects.toThrow(/ck_time_bank_accounts_limits/);
    await expect(sql.query(`UPDATE time_bank_accounts SET held_minutes = 61 WHERE id = $1`, [accountId])).rejects.toThrow(/ck_time_bank_accounts_limits/);
    // A one-legged transfer is refused at commit: the legs of every transfer must sum to zero.
    await expect(
      sql.transaction(async (manager) => {
        const inserted: { id: string }[] = await manager.query(
          `INSERT INTO time_bank_transfers (debit_account_id, credit_account_id, minutes, kind, reference) VALUES ($1, $2, 5, 'GIFT', gen_random_uuid()) RETURNING id`,
          [accountId, '00000000-0000-4000-8000-000000000002'],
        );
        await manager.query(
          `INSERT INTO time_bank_entries (account_id, transfer_id, kind, minutes, balance_after_minutes, held_after_minutes) VALUES ($1, $2, 'GIFT_OUT', -5, 55, 0)`,
          [accountId, inserted[0]?.id],
        );
      }),
    ).rejects.toThrow(/not balanced/);
    await expect(
      sql.query(
        `INSERT INTO time_bank_transfers (debit_account_id, credit_account_id, minutes, kind, reference) VALUES ($1, $1, 5, 'GIFT', gen_random_uuid())`,
        [accountId],
      ),
    ).rejects.toThrow(/ck_time_bank_transfers_accounts/);

    expect(await account(stack, volunteer)).toMatchObject({ balanceMinutes: 60, heldMinutes: 0 });
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });
  });

  it('reports a cached balance that differs from the journal', async () => {
    const volunteer = await createUser(stack, ['VOLUNTEER']);
    await earn(stack, volunteer, senior, 45);
    const { accountId } = await account(stack, volunteer);
    // Tampering that stays within the CHECK is what the audit exists to catch.
    await stack.dataSource.query(`UPDATE time_bank_accounts SET balance_minutes = 50 WHERE id = $1`, [accountId]);
    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body.mismatches).toEqual([{ accountId, transferId: null, problem: 'BALANCE_DIFFERS_FROM_JOURNAL', expectedMinutes: 45, actualMinutes: 50 }]);
    await stack.dataSource.query(`UPDATE time_bank_accounts SET balance_minutes = 45 WHERE id = $1`, [accountId]);
    const repaired = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(repaired.body.mismatches).toEqual([]);
  });
});
