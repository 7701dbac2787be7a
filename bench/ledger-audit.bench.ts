import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createUsers, type BenchUser } from './lib/people';
import { startBenchStack, type BenchStack } from './lib/processes';
import type { Figure } from './lib/report';
import type { Scenario } from './scenarios';
import { runSqlReference } from './sql-reference';

const ACCOUNTS = 100_000;
/** Gifts of one minute each account gives (and receives): 2 legs each, plus 2 per earning. */
const GIFTS_PER_ACCOUNT = 24;
const EARNED_MINUTES = 600;
const LATER_GIFTS = 2_000;

/**
 * A year of district data, written with set-based SQL in a minute or two rather than through the
 * API: 100,000 volunteers, each earning 600 minutes from an issuer shard and giving one minute to
 * 24 others (2.5 million transfers, 5 million entries). Triggers (append-only, balanced
 * transfers, foreign keys) are off while loading, and so is the database's statement timeout; ids
 * are in ascending order and the indexes are built after the load, as a bulk load does. Cached balances equal the journal.
 */
const GENERATE = `
  SET session_replication_role = replica;
  SET synchronous_commit = off;
  SET work_mem = '256MB';
  SET maintenance_work_mem = '512MB';
  SET statement_timeout = 0;
  DROP INDEX idx_time_bank_entries_account_seq;
  DROP INDEX idx_time_bank_transfers_created_at;
  DROP INDEX idx_time_bank_entries_account_created;
  DROP INDEX idx_time_bank_transfers_debit;
  DROP INDEX idx_time_bank_transfers_credit;
  CREATE TEMP TABLE bench_accounts AS
    SELECT n, ('a0000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid AS id,
              ('b0000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid AS user_id
      FROM generate_series(1, ${ACCOUNTS}) AS n;
  INSERT INTO users (id, name, phone, password_hash, roles, birth_date)
  SELECT user_id, '审计 ' || n, '17' || lpad(n::text, 9, '0'), '$argon2id$bench-audit', '{VOLUNTEER}', date '1955-01-01' + (n % 3000)
    FROM bench_accounts;
  INSERT INTO time_bank_accounts (id, kind, user_id, balance_minutes) SELECT id, 'USER', user_id, ${EARNED_MINUTES} FROM bench_accounts;
  CREATE TEMP TABLE bench_transfers AS
    SELECT ('c0000000-0000-4000-8000-' || lpad(to_hex(a.n), 12, '0'))::uuid AS id, s.id AS debit, a.id AS credit,
           ${EARNED_MINUTES}::bigint AS minutes, 'EARN'::text AS kind, 'EARNED'::text AS debit_kind, 'EARNED'::text AS credit_kind
      FROM bench_accounts a JOIN time_bank_accounts s ON s.kind = 'ISSUER' AND s.shard = a.n % 16
    UNION ALL
    SELECT ('c0000000-0000-4000-8000-' || lpad(to_hex(${ACCOUNTS} + (k - 1) * ${ACCOUNTS} + f.n), 12, '0'))::uuid, f.id, t.id,
           1, 'GIFT', 'GIFT_OUT', 'GIFT_IN'
      FROM generate_series(1, ${GIFTS_PER_ACCOUNT}) AS k
      JOIN bench_accounts f ON true
      JOIN bench_accounts t ON t.n = (f.n + k * 37) % ${ACCOUNTS} + 1;
  INSERT INTO time_bank_transfers (id, debit_account_id, credit_account_id, minutes, kind, reference)
  SELECT id, debit, credit, minutes, kind, ('d' || substr(id::text, 2))::uuid FROM bench_transfers ORDER BY id;
  INSERT INTO time_bank_entries (id, account_id, transfer_id, kind, minutes, balance_after_minutes, held_after_minutes)
  SELECT ('e0000000-0000-4000-8000-' || lpad(to_hex(row_number() OVER (ORDER BY id, leg)), 12, '0'))::uuid, account, id, kind, minutes, 0, 0 FROM (
    SELECT id, 0 AS leg, debit AS account, debit_kind AS kind, -minutes AS minutes FROM bench_transfers
    UNION ALL
    SELECT id, 1, credit, credit_kind, minutes FROM bench_transfers
  ) legs ORDER BY id, leg;
  UPDATE time_bank_accounts a SET balance_minutes = -${EARNED_MINUTES} * (SELECT count(*) FROM bench_accounts b WHERE b.n % 16 = a.shard)
   WHERE kind = 'ISSUER';
  SET session_replication_role = origin;
  CREATE INDEX idx_time_bank_entries_account_seq ON time_bank_entries (account_id, seq DESC);
  CREATE INDEX idx_time_bank_transfers_debit ON time_bank_transfers (debit_account_id);
  CREATE INDEX idx_time_bank_transfers_credit ON time_bank_transfers (credit_account_id);
  CREATE INDEX idx_time_bank_transfers_created_at ON time_bank_transfers (created_at);
  CREATE INDEX idx_time_bank_entries_account_created ON time_bank_entries (account_id, created_at);
`;

async function timedAudit(
  stack: BenchStack,
  admin: BenchUser,
): Promise<{ seconds: number; body: { accounts: number; sumOfBalancesMinutes: number; mismatches: unknown[] } }> {
  const started = performance.now();
  const response = await fetch(`${stack.apiUrls[0]}/api/v1/time-bank/audit`, { headers: { authorization: `Bearer ${admin.token}` } });
  const body = (await response.json()) as { accounts: number; sumOfBalancesMinutes: number; mismatches: unknown[] };
  if (response.status !== 200) throw new Error(`audit answered ${response.status}: ${JSON.stringify(body)}`);
  return { seconds: Math.round((performance.now() - started) / 10) / 100, body };
}

/**
 * The ledger audit with a year of district data: 100,000 accounts and 5 million entries. The
 * first audit reads the whole journal once and writes a checkpoint; after 2,000 more gifts
 * (through the ledger function, as the API sends them) the next audit reads only what came since.
 */
export const ledgerAudit: Scenario = {
  name: 'ledger-audit',
  description: `time-bank audit with ${ACCOUNTS.toLocaleString('en')} accounts and ${(ACCOUNTS * (GIFTS_PER_ACCOUNT + 1) * 2).toLocaleString('en')} journal entries`,
  async run() {
    const stack = await startBenchStack({ apis: 1, workers: 0 });
    try {
      const [admin] = await createUsers(stack.env, 1, ['ADMIN'], { phonePrefix: '151' });
      const client = new Client({ connectionString: stack.databaseUrl });
      await client.connect();
      const generateStarted = performance.now();
      try {
        await client.query(GENERATE);
        // As autovacuum would soon after a bulk load (VACUUM cannot run in the load's transaction).
        for (const table of ['time_bank_accounts', 'time_bank_transfers', 'time_bank_entries']) await client.query(`VACUUM ANALYZE ${table}`);
      } finally {
        await client.end();
      }
      const generateSeconds = Math.round((performance.now() - generateStarted) / 1000);
      console.log(`ledger-audit: data set written in ${generateSeconds} s`);

      const first = await timedAudit(stack, admin);
      const giverIds = Array.from({ length: LATER_GIFTS }, (_, i) => `b0000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`);
      const later = await runSqlReference(
        stack.databaseUrl,
        stack.config.databasePoolSize,
        giverIds.map((from, i) => ({
          sql: 'SELECT time_bank_gift($1, $2, $3, $4, $5, $6, $7)',
          params: [from, randomUUID(), 'f'.repeat(64), giverIds[(i + 1) % LATER_GIFTS], 5, 'SIBLING', 6000],
        })),
        'TB000',
      );
      const second = await timedAudit(stack, admin);

      const check = new Client({ connectionString: stack.databaseUrl });
      await check.connect();
      const counts = await check.query<{ entries: string; checkpoints: string }>(
        `SELECT (SELECT count(*) FROM time_bank_entries) AS entries, (SELECT count(*) FROM time_bank_audit_checkpoints) AS checkpoints`,
      );
      await check.end();
      const entries = Number(counts.rows[0].entries);
      const problems: string[] = [];
      for (const [name, audit] of [
        ['first', first],
        ['second', second],
      ] as const) {
        if (audit.body.sumOfBalancesMinutes !== 0) problems.push(`${name} audit: journal sums to ${audit.body.sumOfBalancesMinutes}`);
        if (audit.body.mismatches.length > 0) problems.push(`${name} audit: ${audit.body.mismatches.length} mismatches`);
        if (audit.body.accounts < ACCOUNTS) problems.push(`${name} audit: only ${audit.body.accounts} accounts`);
      }
      if (later.succeeded !== LATER_GIFTS) problems.push(`later gifts: ${later.succeeded} of ${LATER_GIFTS} went through (${JSON.stringify(later.failures)})`);
      if (entries < ACCOUNTS * (GIFTS_PER_ACCOUNT + 1) * 2) problems.push(`only ${entries} entries`);
      const figures: Figure[] = [
        { scenario: 'ledger-audit', figure: 'journal entries', value: entries, unit: '' },
        { scenario: 'ledger-audit', figure: 'first audit (whole journal, writes the checkpoint)', value: first.seconds, unit: 's' },
        {
          scenario: 'ledger-audit',
          figure: 'audit from the checkpoint (+2,000 gifts)',
          value: second.seconds,
          unit: 's',
          target: '≤ 10 s',
          met: second.seconds <= 10,
        },
      ];
      return {
        figures,
        details: {
          generateSeconds,
          firstSeconds: first.seconds,
          secondSeconds: second.seconds,
          entries,
          checkpoints: Number(counts.rows[0].checkpoints),
          laterGiftsPerSecond: later.perSecond,
        },
        correctnessProblems: problems,
      };
    } finally {
      await stack.stop();
    }
  },
};
