import { expectJson, request } from './http';
import { birthDateForAge, createPeople, type Person } from './people';
import { sleep, until } from './run';
import type { FaultStack } from './stack';

const DAY_MS = 24 * 3600_000;
let serviceDay = 0;

/**
 * Volunteers (aged 65, so they may redeem) who each earned `minutes` through the API: a service
 * recorded by the volunteer for a senior, confirmed by the senior.
 */
export async function fundedVolunteers(stack: FaultStack, count: number, minutes: number): Promise<Person[]> {
  const volunteers = await createPeople(
    stack,
    ['VOLUNTEER'],
    Array.from({ length: count }, () => birthDateForAge(65)),
  );
  const [senior] = await createPeople(stack, ['SENIOR'], [birthDateForAge(80)]);
  if (!senior) throw new Error('no senior to confirm the services');
  const base = `${stack.api.url}/api/v1/time-bank`;
  for (const volunteer of volunteers) {
    serviceDay += 1;
    const service = await expectJson<{ id: string }>('POST', `${base}/services`, 201, {
      auth: volunteer.auth,
      body: {
        recipientId: senior.id,
        serviceType: 'COMPANIONSHIP',
        startedAt: new Date(Date.now() - serviceDay * DAY_MS).toISOString(),
        durationMinutes: minutes,
      },
    });
    await expectJson('POST', `${base}/services/${service.id}/confirm`, 200, { auth: senior.auth });
  }
  return volunteers;
}

export interface LedgerOperation {
  kind: 'gift' | 'hold';
  from: Person;
  to?: Person;
  minutes: number;
  key: string;
}

/** Gifts between volunteers and redemption holds, with a unique Idempotency-Key each. */
export function ledgerOperations(volunteers: Person[], count: number, random: () => number, keyPrefix: string): LedgerOperation[] {
  const pick = (): Person => volunteers[Math.floor(random() * volunteers.length)];
  return Array.from({ length: count }, (_, index) => {
    const from = pick();
    let to = pick();
    while (to === from) to = pick();
    const minutes = 5 + Math.floor(random() * 36);
    return random() < 0.7 ? { kind: 'gift', from, to, minutes, key: `${keyPrefix}-${index}` } : { kind: 'hold', from, minutes, key: `${keyPrefix}-${index}` };
  });
}

export interface LedgerOutcome {
  operation: LedgerOperation;
  /** Every answer in order, first try and retries: status (0 = none) and time taken. */
  attempts: { status: number; code?: string; id?: string; ms: number; startedAt: number; endedAt: number }[];
}

function final(outcome: LedgerOutcome): LedgerOutcome['attempts'][number] | undefined {
  return outcome.attempts[outcome.attempts.length - 1];
}

async function send(stack: FaultStack, operation: LedgerOperation, apiUrl: string): Promise<LedgerOutcome['attempts'][number]> {
  const startedAt = Date.now();
  const path = operation.kind === 'gift' ? 'gifts' : 'redemptions';
  const body =
    operation.kind === 'gift'
      ? { toUserId: operation.to?.id, minutes: operation.minutes, relationship: 'SPOUSE' }
      : { serviceType: 'CLEANING', minutes: operation.minutes, scheduledFor: new Date(Date.now() + 7 * DAY_MS).toISOString().slice(0, 10) + 'T09:00:00+08:00' };
  try {
    const response = await request<{ id?: string; code?: string }>('POST', `${apiUrl}/api/v1/time-bank/${path}`, {
      auth: operation.from.auth,
      headers: { 'Idempotency-Key': operation.key },
      body,
      timeoutMs: 10_000,
    });
    return { status: response.status, code: response.body.code, id: response.body.id, ms: response.ms, startedAt, endedAt: Date.now() };
  } catch {
    return { status: 0, ms: Date.now() - startedAt, startedAt, endedAt: Date.now() };
  }
}

/**
 * Runs the operations with `inFlight` concurrent clients (pausing after a failed answer, as a
 * client backs off), then sends every one that got 503 or no answer again with the same
 * Idempotency-Key until it gets a real answer, as a client retrying after an outage would.
 */
export class LedgerLoad {
  readonly outcomes: LedgerOutcome[] = [];
  readonly finished: Promise<void>;
  private next = 0;

  constructor(
    private readonly stack: FaultStack,
    private readonly operations: LedgerOperation[],
    private readonly target: (index: number) => string,
    inFlight: number,
    pauseAfterFailureMs = 250,
  ) {
    this.finished = Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (this.next < this.operations.length) {
          const index = this.next;
          this.next += 1;
          const operation = this.operations[index];
          const attempt = await send(this.stack, operation, this.target(index));
          this.outcomes.push({ operation, attempts: [attempt] });
          if (attempt.status === 0 || attempt.status >= 500) await sleep(pauseAfterFailureMs);
        }
      }),
    ).then(() => undefined);
  }

  /** Retries every operation whose last answer was 503 or nothing, until none is left (or the timeout). */
  async retryUnanswered(timeoutMs = 30_000): Promise<number> {
    let retried = 0;
    await until(
      async () => {
        const open = this.outcomes.filter((outcome) => {
          const last = final(outcome);
          return !last || last.status === 0 || last.status === 503;
        });
        for (const [index, outcome] of open.entries()) {
          retried += 1;
          outcome.attempts.push(await send(this.stack, outcome.operation, this.target(index)));
        }
        return open.length === 0;
      },
      timeoutMs,
      'every ledger operation answered',
      500,
    );
    return retried;
  }

  finalAnswers(): { status: number; code?: string; id?: string }[] {
    return this.outcomes.map((outcome) => final(outcome) ?? { status: 0 });
  }
}

/**
 * Checks the ledger after the load: the administrator's audit finds nothing (balances equal
 * journal sums, held minutes equal open holds, no negative available, every transfer balanced,
 * the sum is zero); every transfer has exactly two legs that cancel out; each Idempotency-Key
 * created at most one gift or hold, and exactly those the client was told about; and every
 * volunteer's balance and held minutes are what the acknowledged operations add up to.
 */
export async function verifyLedger(
  stack: FaultStack,
  admin: Person,
  volunteers: Person[],
  earnedMinutes: number,
  outcomes: LedgerOutcome[],
): Promise<{ gifts: number; holds: number; refused: number }> {
  const audit = await expectJson<{ sumOfBalancesMinutes: number; mismatches: unknown[] }>('GET', `${stack.api.url}/api/v1/time-bank/audit`, 200, {
    auth: admin.auth,
  });
  expect(audit).toMatchObject({ sumOfBalancesMinutes: 0, mismatches: [] });

  const legs = await stack.pg.query<{ id: string; legs: number; total: string }>(
    `SELECT t.id, count(e.id)::int AS legs, coalesce(sum(e.minutes), 0)::text AS total
       FROM time_bank_transfers t LEFT JOIN time_bank_entries e ON e.transfer_id = t.id
      GROUP BY t.id HAVING count(e.id) <> 2 OR coalesce(sum(e.minutes), 0) <> 0`,
  );
  expect(legs).toEqual([]);
  const orphans = await stack.pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM time_bank_entries WHERE transfer_id IS NULL AND redemption_id IS NULL`);
  expect(orphans[0]?.n).toBe(0);

  const acknowledged = (kind: LedgerOperation['kind']): Map<string, LedgerOutcome> => {
    const found = new Map<string, LedgerOutcome>();
    for (const outcome of outcomes.filter((o) => o.operation.kind === kind && final(o)?.status === 201)) {
      // Every 201 for the key (a first answer and a replay) names the same record.
      const ids = new Set(outcome.attempts.filter((a) => a.status === 201).map((a) => a.id));
      expect(ids.size).toBe(1);
      found.set(final(outcome)?.id ?? '', outcome);
    }
    return found;
  };
  const gifts = acknowledged('gift');
  const holds = acknowledged('hold');
  const giftRows = await stack.pg.query<{ id: string }>(`SELECT id FROM time_bank_gifts`);
  const holdRows = await stack.pg.query<{ id: string }>(`SELECT id FROM time_bank_redemptions`);
  expect(giftRows.map((row) => row.id).sort()).toEqual([...gifts.keys()].sort());
  expect(holdRows.map((row) => row.id).sort()).toEqual([...holds.keys()].sort());

  const expected = new Map(volunteers.map((v) => [v.id, { balance: earnedMinutes, held: 0 }]));
  for (const { operation } of gifts.values()) {
    const from = expected.get(operation.from.id);
    const to = expected.get(operation.to?.id ?? '');
    if (from) from.balance -= operation.minutes;
    if (to) to.balance += operation.minutes;
  }
  for (const { operation } of holds.values()) {
    const from = expected.get(operation.from.id);
    if (from) from.held += operation.minutes;
  }
  const accounts = await stack.pg.query<{ user_id: string; balance: string; held: string }>(
    `SELECT user_id, balance_minutes::text AS balance, held_minutes::text AS held FROM time_bank_accounts WHERE user_id = ANY($1::uuid[])`,
    [volunteers.map((v) => v.id)],
  );
  const actual = new Map(accounts.map((a) => [a.user_id, { balance: Number(a.balance), held: Number(a.held) }]));
  expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  for (const account of actual.values()) expect(account.balance - account.held).toBeGreaterThanOrEqual(0);
  const refused = outcomes.filter((o) => final(o)?.status === 422).length;
  return { gifts: gifts.size, holds: holds.size, refused };
}
