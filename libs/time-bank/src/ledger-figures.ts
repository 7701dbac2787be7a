import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { columns, numbers, queryRows, ReadDatabase } from '@app/platform';
import type { EntryKind } from './time-bank.types';

/** Minutes moved in a period, net of reversals posted in it. */
export interface LedgerPeriodFigures {
  earnedMinutes: number;
  redeemedMinutes: number;
  giftedMinutes: number;
  activeVolunteers: number;
}

/** One line of an account statement. */
export interface StatementLine {
  seq: number;
  at: Date;
  kind: EntryKind;
  minutes: number;
  heldDeltaMinutes: number;
  balanceAfterMinutes: number;
  heldAfterMinutes: number;
}

export interface Statement {
  accountId: string | null;
  openingBalanceMinutes: number;
  openingHeldMinutes: number;
  lines: StatementLine[];
  closingBalanceMinutes: number;
  closingHeldMinutes: number;
}

/**
 * Earned = EARN and POOL transfers (a confirmed service; POOL is the part beyond the storage cap),
 * redeemed = REDEEM, gifted = GIFT, each minus the reversals of such transfers posted in the
 * period. Active volunteers = distinct volunteers with a service credited (EARN or POOL) in the
 * period. The period is [$1, $2) on the transfers' posting time.
 */
export const LEDGER_PERIOD_FIGURES_SQL = `
  SELECT (coalesce(sum(t.minutes) FILTER (WHERE t.kind IN ('EARN', 'POOL')), 0)
          - coalesce(sum(t.minutes) FILTER (WHERE t.kind = 'REVERSAL' AND o.kind IN ('EARN', 'POOL')), 0))::float8 AS "earnedMinutes",
         (coalesce(sum(t.minutes) FILTER (WHERE t.kind = 'REDEEM'), 0)
          - coalesce(sum(t.minutes) FILTER (WHERE t.kind = 'REVERSAL' AND o.kind = 'REDEEM'), 0))::float8 AS "redeemedMinutes",
         (coalesce(sum(t.minutes) FILTER (WHERE t.kind = 'GIFT'), 0)
          - coalesce(sum(t.minutes) FILTER (WHERE t.kind = 'REVERSAL' AND o.kind = 'GIFT'), 0))::float8 AS "giftedMinutes",
         count(DISTINCT s.volunteer_id)::int AS "activeVolunteers"
    FROM time_bank_transfers t
    LEFT JOIN time_bank_transfers o ON o.id = t.reverses_transfer_id
    LEFT JOIN time_bank_services s ON t.kind IN ('EARN', 'POOL') AND s.id = t.reference
   WHERE t.created_at >= $1 AND t.created_at < $2`;

/** Reads of the journal for reports and statements. */
@Injectable()
export class LedgerFiguresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly read: ReadDatabase,
  ) {}

  /** District figures over [start, end); from the read replica when there is one. */
  async periodFigures(start: Date, end: Date): Promise<LedgerPeriodFigures> {
    const rows = await this.read.query<LedgerPeriodFigures & Record<string, unknown>>(LEDGER_PERIOD_FIGURES_SQL, [start.toISOString(), end.toISOString()]);
    return rows[0];
  }

  /**
   * A user's entries posted in [start, end) in journal order, each with the balance after it,
   * and the balances before and after. A user without an account has an empty statement.
   */
  async statement(userId: string, start: Date, end: Date): Promise<Statement> {
    const accounts: { id: string }[] = await this.dataSource.query(`SELECT id FROM time_bank_accounts WHERE user_id = $1`, [userId]);
    const accountId = accounts[0]?.id ?? null;
    if (!accountId) return { accountId, openingBalanceMinutes: 0, openingHeldMinutes: 0, lines: [], closingBalanceMinutes: 0, closingHeldMinutes: 0 };
    const [before, lines] = await Promise.all([
      this.dataSource.query<{ balance: string; held: string }[]>(
        `SELECT balance_after_minutes AS balance, held_after_minutes AS held FROM time_bank_entries
          WHERE account_id = $1 AND created_at < $2 ORDER BY seq DESC LIMIT 1`,
        [accountId, start.toISOString()],
      ),
      queryRows<StatementLine>(
        this.dataSource,
        `SELECT seq, created_at AS at, ${columns<StatementLine>(['kind', 'minutes', 'heldDeltaMinutes', 'balanceAfterMinutes', 'heldAfterMinutes'])}
           FROM time_bank_entries WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY seq`,
        [accountId, start.toISOString(), end.toISOString()],
      ),
    ]);
    const parsed = lines.map(numbers<StatementLine>('seq', 'minutes', 'heldDeltaMinutes', 'balanceAfterMinutes', 'heldAfterMinutes'));
    const openingBalanceMinutes = Number(before[0]?.balance ?? 0);
    const openingHeldMinutes = Number(before[0]?.held ?? 0);
    const last = parsed.at(-1);
    return {
      accountId,
      openingBalanceMinutes,
      openingHeldMinutes,
      lines: parsed,
      closingBalanceMinutes: last?.balanceAfterMinutes ?? openingBalanceMinutes,
      closingHeldMinutes: last?.heldAfterMinutes ?? openingHeldMinutes,
    };
  }
}
