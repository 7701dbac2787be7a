/**
 * Proves, with fast-check, that random concurrent sequences of earn, confirm, hold, complete,
 * cancel, gift, reverse and retried idempotent requests over HTTP leave the ledger sound: every
 * balance equals its journal sum, nothing but the issuer is negative, the accounts sum to zero,
 * and each idempotency key moved minutes at most once. A failure prints the seed to replay it.
 */
import fc from 'fast-check';
import type { Response } from 'supertest';
import { adminOf, birthDateForAge, createTestStack, createUser, http, type TestStack, type TestUser } from '@app/testing';
import { createCentre } from '../care-centre/care-fixtures';
import { bookingTime } from './helpers';

/** Booking times fixed once per run, so a retried or compared operation sends the very same body. */
const BOOKED_FOR_18 = bookingTime(18);

type Op =
  | { kind: 'earn'; volunteer: number; recipient: number; duration: number; startMinutesAgo: number; confirmations: number }
  | { kind: 'hold'; holder: number; minutes: number; retries: number }
  | { kind: 'complete'; pick: number }
  | { kind: 'cancel'; pick: number; retries: number }
  | { kind: 'gift'; from: number; to: number; minutes: number; retries: number }
  | { kind: 'reverse'; pick: number; retries: number };

const PEOPLE = 5;
const person = fc.integer({ min: 0, max: PEOPLE - 1 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('earn' as const),
      volunteer: fc.integer({ min: 0, max: 2 }),
      recipient: person,
      duration: fc.integer({ min: 15, max: 480 }),
      startMinutesAgo: fc.integer({ min: 500, max: 6000 }),
      confirmations: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      holder: person,
      minutes: fc.integer({ min: 1, max: 300 }),
      retries: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('complete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(), retries: fc.integer({ min: 1, max: 2 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('gift' as const),
      from: person,
      to: person,
      minutes: fc.integer({ min: 1, max: 200 }),
      retries: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(), retries: fc.integer({ min: 1, max: 2 }) }) },
);

describe('time bank ledger model', () => {
  let stack: TestStack;
  let admin: TestUser;
  let manager: TestUser;
  /** 0–2 volunteers (0 and 1 old enough to redeem), 3–4 seniors. */
  let people: TestUser[];
  let keyCounter = 0;
  /** Every successful response per idempotency key, across all runs. */
  const redemptionKeys = new Map<string, unknown[]>();
  const giftKeys = new Map<string, unknown[]>();

  beforeAll(async () => {
    stack = await createTestStack({ config: { timeBankGiftLimitMinutesPerYear: 100_000 } });
    admin = await adminOf(stack);
    // The manager runs the care centre every member attends, so acts as staff for all of them.
    const centreId = await createCentre(stack, admin);
    manager = await createUser(stack, ['MANAGER'], { facilityIds: [centreId] });
    people = [
      await createUser(stack, ['VOLUNTEER', 'SENIOR'], { birthDate: birthDateForAge(66) }),
      await createUser(stack, ['VOLUNTEER', 'SENIOR'], { birthDate: birthDateForAge(72) }),
      await createUser(stack, ['VOLUNTEER', 'SENIOR']),
      await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(80) }),
      await createUser(stack, ['SENIOR'], { birthDate: birthDateForAge(61) }),
    ];
    for (const person of people) {
      await http(stack).post(`/api/v1/care-centres/${centreId}/check-ins`).set(manager.auth).send({ seniorId: person.user.id }).expect(201);
    }
  });
  afterAll(async () => stack.close());

  const at = (index: number): TestUser => {
    const user = people[index % people.length];
    if (!user) throw new Error('no such person');
    return user;
  };

  async function pickRedemption(pick: number): Promise<{ id: string; user_id: string } | undefined> {
    const rows: { id: string; user_id: string }[] = await stack.dataSource.query(`SELECT id, user_id FROM time_bank_redemptions ORDER BY created_at, id`);
    return rows.length > 0 ? rows[pick % rows.length] : undefined;
  }

  function expectStatus(response: Response, allowed: number[], what: string): void {
    if (!allowed.includes(response.status)) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }

  async function run(op: Op): Promise<void> {
    switch (op.kind) {
      case 'earn': {
        const volunteer = at(op.volunteer);
        const recipient = at(op.recipient === op.volunteer ? op.recipient + 1 : op.recipient);
        const created = await http(stack)
          .post('/api/v1/time-bank/services')
          .set(volunteer.auth)
          .send({
            recipientId: recipient.user.id,
            serviceType: 'COMPANIONSHIP',
            startedAt: new Date(Date.now() - op.startMinutesAgo * 60_000).toISOString(),
            durationMinutes: op.duration,
          });
        expectStatus(created, [201, 409], 'record service');
        if (created.status !== 201) return;
        const confirmers = [recipient, manager, admin].slice(0, op.confirmations);
        const confirmed = await Promise.all(confirmers.map((who) => http(stack).post(`/api/v1/time-bank/services/${created.body.id}/confirm`).set(who.auth)));
        for (const response of confirmed) expectStatus(response, [200], 'confirm');
        return;
      }
      case 'hold': {
        keyCounter += 1;
        const key = `hold-${keyCounter}`;
        const body = { serviceType: 'CLEANING', minutes: op.minutes, scheduledFor: BOOKED_FOR_18 };
        const responses = await Promise.all(
          Array.from({ length: op.retries }, () =>
            http(stack).post('/api/v1/time-bank/redemptions').set(at(op.holder).auth).set('Idempotency-Key', key).send(body),
          ),
        );
        for (const response of responses) expectStatus(response, [201, 422], 'redemption');
        redemptionKeys.set(
          key,
          responses.filter((response) => response.status === 201).map((response) => response.body),
        );
        return;
      }
      case 'complete': {
        const target = await pickRedemption(op.pick);
        if (!target) return;
        const response = await http(stack).post(`/api/v1/time-bank/redemptions/${target.id}/complete`).set(manager.auth);
        expectStatus(response, [200, 409], 'complete');
        return;
      }
      case 'cancel': {
        const target = await pickRedemption(op.pick);
        const owner = people.find((candidate) => candidate.user.id === target?.user_id);
        if (!target || !owner) return;
        const responses = await Promise.all(
          Array.from({ length: op.retries }, () => http(stack).post(`/api/v1/time-bank/redemptions/${target.id}/cancel`).set(owner.auth)),
        );
        for (const response of responses) expectStatus(response, [200, 409], 'cancel');
        return;
      }
      case 'gift': {
        if (op.from === op.to) return;
        keyCounter += 1;
        const key = `gift-${keyCounter}`;
        const body = { toUserId: at(op.to).user.id, minutes: op.minutes, relationship: 'OTHER_FAMILY' };
        const responses = await Promise.all(
          Array.from({ length: op.retries }, () => http(stack).post('/api/v1/time-bank/gifts').set(at(op.from).auth).set('Idempotency-Key', key).send(body)),
        );
        for (const response of responses) expectStatus(response, [201, 422], 'gift');
        giftKeys.set(
          key,
          responses.filter((response) => response.status === 201).map((response) => response.body),
        );
        return;
      }
      case 'reverse': {
        const rows: { id: string }[] = await stack.dataSource.query(`SELECT id FROM time_bank_transfers ORDER BY created_at, id`);
        const target = rows.length > 0 ? rows[op.pick % rows.length] : undefined;
        if (!target) return;
        const responses = await Promise.all(
          Array.from({ length: op.retries }, () =>
            http(stack).post(`/api/v1/time-bank/transfers/${target.id}/reverse`).set(admin.auth).send({ reason: 'model test' }),
          ),
        );
        for (const response of responses) expectStatus(response, [201, 409, 422], 'reverse');
        if (responses.filter((response) => response.status === 201).length > 1) throw new Error('a transfer was reversed twice');
        return;
      }
    }
  }

  async function checkInvariants(): Promise<void> {
    const accounts: { id: string; kind: string; balance: string; held: string; journal: string; journal_held: string; open_held: string }[] = await stack
      .dataSource.query(`
      SELECT a.id, a.kind, a.balance_minutes AS balance, a.held_minutes AS held,
             coalesce((SELECT sum(minutes) FROM time_bank_entries e WHERE e.account_id = a.id), 0) AS journal,
             coalesce((SELECT sum(held_delta_minutes) FROM time_bank_entries e WHERE e.account_id = a.id), 0) AS journal_held,
             coalesce((SELECT sum(minutes) FROM time_bank_redemptions r WHERE r.account_id = a.id AND r.status = 'HELD'), 0) AS open_held
        FROM time_bank_accounts a`);
    let sum = 0;
    for (const account of accounts) {
      const balance = Number(account.balance);
      const held = Number(account.held);
      sum += balance;
      expect({ id: account.id, balance, held }).toEqual({ id: account.id, balance: Number(account.journal), held: Number(account.journal_held) });
      expect(held).toBe(Number(account.open_held));
      if (account.kind !== 'ISSUER') {
        expect(balance).toBeGreaterThanOrEqual(0);
        expect(balance - held).toBeGreaterThanOrEqual(0);
      }
    }
    expect(sum).toBe(0);

    // Each key: every success answered the same, and the number of rows equals the number of keys that succeeded.
    for (const responses of [...redemptionKeys.values(), ...giftKeys.values()]) {
      for (const response of responses) expect(response).toEqual(responses[0]);
    }
    const succeeded = (keys: Map<string, unknown[]>): number => [...keys.values()].filter((responses) => responses.length > 0).length;
    const counts: { redemptions: number; holds: number; gifts: number; gift_transfers: number }[] = await stack.dataSource.query(`
      SELECT (SELECT count(*)::int FROM time_bank_redemptions) AS redemptions,
             (SELECT count(*)::int FROM time_bank_entries WHERE kind = 'HELD') AS holds,
             (SELECT count(*)::int FROM time_bank_gifts) AS gifts,
             (SELECT count(*)::int FROM time_bank_transfers WHERE kind = 'GIFT') AS gift_transfers`);
    expect(counts[0]).toEqual({
      redemptions: succeeded(redemptionKeys),
      holds: succeeded(redemptionKeys),
      gifts: succeeded(giftKeys),
      gift_transfers: succeeded(giftKeys),
    });

    const audit = await http(stack).get('/api/v1/time-bank/audit').set(admin.auth).expect(200);
    expect(audit.body).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });
  }

  it('keeps every invariant over random concurrent sequences', async () => {
    const seed = process.env.TIME_BANK_MODEL_SEED ? Number(process.env.TIME_BANK_MODEL_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);
    const property = fc.asyncProperty(fc.array(fc.array(opArbitrary, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), async (batches) => {
      // Operations of one batch run at the same time; batches run one after another.
      for (const batch of batches) {
        const results = await Promise.allSettled(batch.map((op) => run(op)));
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
      }
      await checkInvariants();
    });
    const details = await fc.check(property, { numRuns: 20, seed, endOnFailure: true });
    if (details.failed) {
      console.error(`time-bank ledger model failed; replay with TIME_BANK_MODEL_SEED=${details.seed}`);
      throw new Error(fc.defaultReportMessage(details) ?? `failed with seed ${details.seed}`);
    }
    // The runs must have exercised what they claim to: holds, gifts, completions and reversals that went through.
    const exercised: { holds: number; gifts: number; redeemed: number; cancelled: number; reversals: number }[] = await stack.dataSource.query(`
      SELECT (SELECT count(*)::int FROM time_bank_redemptions) AS holds,
             (SELECT count(*)::int FROM time_bank_gifts) AS gifts,
             (SELECT count(*)::int FROM time_bank_redemptions WHERE status = 'REDEEMED') AS redeemed,
             (SELECT count(*)::int FROM time_bank_redemptions WHERE status = 'CANCELLED') AS cancelled,
             (SELECT count(*)::int FROM time_bank_transfers WHERE kind = 'REVERSAL') AS reversals`);
    console.log(`time-bank ledger model: seed ${seed}, ${JSON.stringify(exercised[0])}`);
    expect(exercised[0]?.holds).toBeGreaterThan(0);
    expect(exercised[0]?.gifts).toBeGreaterThan(0);
  }, 55_000);
});
