import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runLoad, summarize } from './lib/load';
import { createUsers, type BenchUser } from './lib/people';
import { startBenchStack, type BenchStack } from './lib/processes';
import type { Figure } from './lib/report';
import type { Scenario } from './scenarios';

const ACCOUNTS = 100;
const REQUESTS = 1000;
const EARNED_MINUTES = 480;

async function call(stack: BenchStack, user: BenchUser, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.apiUrls[0]}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${user.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) };
}

/** Each account earns 480 minutes through a confirmed service, as volunteers do. */
async function fund(stack: BenchStack, admin: BenchUser, holders: BenchUser[]): Promise<void> {
  const startedAt = new Date(Date.now() - 26 * 3600_000).toISOString();
  await Promise.all(
    holders.map(async (holder, index) => {
      const recipient = holders[(index + 1) % holders.length];
      const created = await call(stack, holder, 'POST', '/time-bank/services', {
        recipientId: recipient.id,
        serviceType: 'COMPANIONSHIP',
        startedAt,
        durationMinutes: EARNED_MINUTES,
      });
      if (created.status !== 201) throw new Error(`service not created: ${JSON.stringify(created.body)}`);
      const confirmed = await call(stack, admin, 'POST', `/time-bank/services/${(created.body as { id: string }).id}/confirm`);
      if (confirmed.status !== 200) throw new Error(`service not confirmed: ${JSON.stringify(confirmed.body)}`);
    }),
  );
}

/**
 * 1,000 concurrent redemptions and gifts over 100 accounts, all at once; then the ledger's
 * invariants are checked from the database and the audit endpoint.
 */
export const timeBankLoad: Scenario = {
  name: 'time-bank',
  description: `${REQUESTS} concurrent redemptions and gifts over ${ACCOUNTS} accounts`,
  async run() {
    const stack = await startBenchStack({ apis: 1, workers: 1 });
    try {
      const [admin] = await createUsers(stack.env, 1, ['ADMIN'], { phonePrefix: '151' });
      const holders = await createUsers(stack.env, ACCOUNTS, ['VOLUNTEER', 'SENIOR'], { phonePrefix: '152', birthDate: (i) => `195${i % 10}-03-1${i % 10}` });
      await fund(stack, admin, holders);
      const scheduledFor = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
      const result = await runLoad({
        connections: REQUESTS,
        timeoutMs: 30_000,
        requests: Array.from({ length: REQUESTS }, (_, i) => {
          const holder = holders[i % ACCOUNTS];
          const headers = { authorization: `Bearer ${holder.token}`, 'idempotency-key': randomUUID() };
          return i % 2 === 0
            ? { method: 'POST', url: `${stack.apiUrls[0]}/api/v1/time-bank/redemptions`, headers, body: { serviceType: 'CLEANING', minutes: 45, scheduledFor } }
            : { method: 'POST', url: `${stack.apiUrls[0]}/api/v1/time-bank/gifts`, headers, body: { toUserId: holders[(i + 7) % ACCOUNTS].id, minutes: 30, relationship: 'CHILD' } };
        }),
      });
      const summary = summarize(result);
      const moved = (summary.byStatus['201'] ?? 0) + (summary.byStatus['200'] ?? 0);
      const problems: string[] = [];
      const unexpected = Object.keys(summary.byStatus).filter((status) => !['200', '201', '422'].includes(status));
      if (unexpected.length > 0) problems.push(`unexpected statuses: ${JSON.stringify(summary.byStatus)}`);
      const audit = (await call(stack, admin, 'GET', '/time-bank/audit')).body as { sumOfBalancesMinutes: number; mismatches: unknown[] };
      if (audit.sumOfBalancesMinutes !== 0) problems.push(`journal sums to ${audit.sumOfBalancesMinutes}, not 0`);
      if (audit.mismatches.length > 0) problems.push(`${audit.mismatches.length} balances differ from the journal`);
      const client = new Client({ connectionString: stack.databaseUrl });
      await client.connect();
      const negative = await client.query<{ count: string }>(
        `SELECT count(*) FROM time_bank_accounts WHERE kind <> 'ISSUER' AND (balance_minutes < 0 OR held_minutes < 0 OR held_minutes > balance_minutes)`,
      );
      await client.end();
      if (Number(negative.rows[0].count) > 0) problems.push(`${negative.rows[0].count} accounts below zero`);
      const perSecond = Math.round(moved / Math.max(summary.seconds, 0.001));
      const figures: Figure[] = [
        { scenario: 'time-bank', figure: 'transfers (1,000 concurrent)', value: perSecond, unit: '/s', target: '≥ 500/s', met: perSecond >= 500 },
        { scenario: 'time-bank', figure: 'p99 latency (1,000 concurrent)', value: summary.p99Ms, unit: 'ms' },
        { scenario: 'time-bank', figure: 'negative balances; journal sum', value: `${negative.rows[0].count}; ${audit.sumOfBalancesMinutes}`, unit: '', target: '0; 0', met: problems.length === 0 },
      ];
      return { figures, details: { summary, audit: { sumOfBalancesMinutes: audit.sumOfBalancesMinutes, mismatches: audit.mismatches.length } }, correctnessProblems: problems };
    } finally {
      await stack.stop();
    }
  },
};
