import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AccountKind, EntryKind, TransferKind } from './time-bank.types';

export interface AccountRow {
  id: string;
  kind: AccountKind;
  userId: string | null;
  balanceMinutes: number;
  heldMinutes: number;
}

/** A user's account as locked, with the holder's birth date (YYYY-MM-DD). */
export interface HeldAccountRow extends AccountRow {
  birthDate: string | null;
}

export interface TransferRow {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  minutes: number;
  kind: TransferKind;
  reference: string | null;
  reversesTransferId: string | null;
  reason: string | null;
  actorId: string | null;
  createdAt: Date;
}

export interface EntryRow {
  id: string;
  accountId: string;
  transferId: string | null;
  redemptionId: string | null;
  kind: EntryKind;
  minutes: number;
  heldDeltaMinutes: number;
  balanceAfterMinutes: number;
  heldAfterMinutes: number;
  createdAt: Date;
}

export interface NewTransfer {
  debitAccountId: string;
  creditAccountId: string;
  minutes: number;
  kind: TransferKind;
  reference: string | null;
  reversesTransferId?: string | null;
  reason?: string | null;
  actorId: string | null;
}

export interface NewEntry {
  accountId: string;
  transferId: string | null;
  redemptionId: string | null;
  kind: EntryKind;
  /** Signed change of the balance. */
  minutes: number;
  /** Signed change of the held minutes. */
  heldDeltaMinutes: number;
}

type Raw = Record<string, unknown>;

function toAccount(row: Raw): AccountRow {
  return {
    id: row.id as string,
    kind: row.kind as AccountKind,
    userId: (row.user_id as string | null) ?? null,
    balanceMinutes: Number(row.balance_minutes),
    heldMinutes: Number(row.held_minutes),
  };
}

function toTransfer(row: Raw): TransferRow {
  return {
    id: row.id as string,
    debitAccountId: row.debit_account_id as string,
    creditAccountId: row.credit_account_id as string,
    minutes: Number(row.minutes),
    kind: row.kind as TransferKind,
    reference: (row.reference as string | null) ?? null,
    reversesTransferId: (row.reverses_transfer_id as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    actorId: (row.actor_id as string | null) ?? null,
    createdAt: row.created_at as Date,
  };
}

function toEntry(row: Raw): EntryRow {
  return {
    id: row.id as string,
    accountId: row.account_id as string,
    transferId: (row.transfer_id as string | null) ?? null,
    redemptionId: (row.redemption_id as string | null) ?? null,
    kind: row.kind as EntryKind,
    minutes: Number(row.minutes),
    heldDeltaMinutes: Number(row.held_delta_minutes),
    balanceAfterMinutes: Number(row.balance_after_minutes),
    heldAfterMinutes: Number(row.held_after_minutes),
    createdAt: row.created_at as Date,
  };
}

/** Queries of the ledger: accounts, the journal of transfers and the entries per account. */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the user's account if it does not exist yet, and returns its id. */
  async ensureUserAccount(manager: EntityManager, userId: string): Promise<string> {
    await manager.query(`INSERT INTO time_bank_accounts (kind, user_id) VALUES ('USER', $1) ON CONFLICT (user_id) DO NOTHING`, [userId]);
    const rows: Raw[] = await manager.query(`SELECT id FROM time_bank_accounts WHERE user_id = $1`, [userId]);
    const first = rows[0];
    if (!first) throw new Error('time-bank account vanished after creation');
    return first.id as string;
  }

  /**
   * Locks the accounts of these users in ascending id order (the same order as `lockAccounts`),
   * creating missing accounts first: one statement when they all exist. A user who does not exist
   * is absent from the result.
   */
  async lockUserAccounts(manager: EntityManager, userIds: string[]): Promise<Map<string, HeldAccountRow>> {
    const unique = [...new Set(userIds)];
    const lock = async (): Promise<HeldAccountRow[]> => {
      // The holder's birth date comes along (redemption is for the old), saving a round trip.
      const rows: Raw[] = await manager.query(
        `SELECT a.id, a.kind, a.user_id, a.balance_minutes, a.held_minutes, u.birth_date::text AS birth_date
           FROM time_bank_accounts a JOIN users u ON u.id = a.user_id
          WHERE a.user_id = ANY($1::uuid[])
          ORDER BY a.id
            FOR UPDATE OF a`,
        [unique],
      );
      return rows.map((row) => ({ ...toAccount(row), birthDate: (row.birth_date as string | null) ?? null }));
    };
    let accounts = await lock();
    if (accounts.length < unique.length) {
      const existing = new Set(accounts.map((account) => account.userId));
      await manager.query(
        `INSERT INTO time_bank_accounts (kind, user_id)
         SELECT 'USER', u.id FROM users u WHERE u.id = ANY($1::uuid[])
         ON CONFLICT (user_id) DO NOTHING`,
        [unique.filter((id) => !existing.has(id))],
      );
      accounts = await lock();
    }
    return new Map(accounts.map((account) => [account.userId as string, account]));
  }

  /**
   * Locks the accounts in ascending id order, the one order every transaction uses, so that two
   * transfers over the same accounts queue instead of deadlocking.
   */
  async lockAccounts(manager: EntityManager, ids: string[]): Promise<Map<string, AccountRow>> {
    const unique = [...new Set(ids)].sort();
    const rows: Raw[] = await manager.query(
      `SELECT id, kind, user_id, balance_minutes, held_minutes FROM time_bank_accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [unique],
    );
    return new Map(rows.map((row) => [row.id as string, toAccount(row)]));
  }

  async findAccountByUser(userId: string): Promise<AccountRow | null> {
    const rows: Raw[] = await this.dataSource.query(
      `SELECT id, kind, user_id, balance_minutes, held_minutes FROM time_bank_accounts WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findAccount(id: string): Promise<AccountRow | null> {
    const rows: Raw[] = await this.dataSource.query(
      `SELECT id, kind, user_id, balance_minutes, held_minutes FROM time_bank_accounts WHERE id = $1`,
      [id],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  /**
   * Posts a transfer in one statement: the journal row, both accounts' cached balances and one
   * entry per account carrying the balances after it. The accounts must be locked by the caller.
   * `debitHeldDeltaMinutes` ends a hold on the debited account at the same time (a redemption's
   * completion). Returns the transfer and both accounts' balances after it.
   */
  async postTransfer(
    manager: EntityManager,
    transfer: NewTransfer & { debitEntryKind: EntryKind; creditEntryKind: EntryKind; debitRedemptionId: string | null; debitHeldDeltaMinutes: number },
  ): Promise<{ transfer: TransferRow; debitAfter: { balanceMinutes: number; heldMinutes: number }; creditAfter: { balanceMinutes: number; heldMinutes: number } }> {
    const rows: Raw[] = await manager.query(
      `WITH transfer AS (
         INSERT INTO time_bank_transfers (debit_account_id, credit_account_id, minutes, kind, reference, reverses_transfer_id, reason, actor_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING *
       ), debit AS (
         UPDATE time_bank_accounts
            SET balance_minutes = balance_minutes - $3, held_minutes = held_minutes + $12, updated_at = now()
          WHERE id = $1
          RETURNING balance_minutes, held_minutes
       ), credit AS (
         UPDATE time_bank_accounts
            SET balance_minutes = balance_minutes + $3, updated_at = now()
          WHERE id = $2
          RETURNING balance_minutes, held_minutes
       ), entries AS (
         INSERT INTO time_bank_entries
           (account_id, transfer_id, redemption_id, kind, minutes, held_delta_minutes, balance_after_minutes, held_after_minutes)
         SELECT $1::uuid, transfer.id, $11::uuid, $9::varchar, -$3::bigint, $12::bigint, debit.balance_minutes, debit.held_minutes FROM transfer, debit
         UNION ALL
         SELECT $2::uuid, transfer.id, NULL::uuid, $10::varchar, $3::bigint, 0::bigint, credit.balance_minutes, credit.held_minutes FROM transfer, credit
         RETURNING id
       )
       SELECT transfer.*,
              debit.balance_minutes AS debit_balance_after, debit.held_minutes AS debit_held_after,
              credit.balance_minutes AS credit_balance_after, credit.held_minutes AS credit_held_after,
              (SELECT count(*) FROM entries)::int AS legs
         FROM transfer, debit, credit`,
      [
        transfer.debitAccountId,
        transfer.creditAccountId,
        transfer.minutes,
        transfer.kind,
        transfer.reference,
        transfer.reversesTransferId ?? null,
        transfer.reason ?? null,
        transfer.actorId,
        transfer.debitEntryKind,
        transfer.creditEntryKind,
        transfer.debitRedemptionId,
        transfer.debitHeldDeltaMinutes,
      ],
    );
    const row = rows[0];
    if (!row || Number(row.legs) !== 2) throw new Error('time-bank account missing while posting a transfer');
    return {
      transfer: toTransfer(row),
      debitAfter: { balanceMinutes: Number(row.debit_balance_after), heldMinutes: Number(row.debit_held_after) },
      creditAfter: { balanceMinutes: Number(row.credit_balance_after), heldMinutes: Number(row.credit_held_after) },
    };
  }

  /**
   * Records a new redemption and holds its minutes on the (locked) account in one statement: the
   * redemption row, the account's held minutes and the HELD entry. Returns the redemption row and
   * the account's balances after it.
   */
  async insertRedemptionWithHold(
    manager: EntityManager,
    redemption: { accountId: string; userId: string; serviceType: string; minutes: number; scheduledFor: string; note: string | null },
  ): Promise<{ redemption: Raw; after: { balanceMinutes: number; heldMinutes: number } }> {
    const rows: Raw[] = await manager.query(
      `WITH redemption AS (
         INSERT INTO time_bank_redemptions (account_id, user_id, service_type, minutes, scheduled_for, note)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING *
       ), updated AS (
         UPDATE time_bank_accounts SET held_minutes = held_minutes + $4, updated_at = now()
          WHERE id = $1
          RETURNING balance_minutes, held_minutes
       ), entry AS (
         INSERT INTO time_bank_entries
           (account_id, transfer_id, redemption_id, kind, minutes, held_delta_minutes, balance_after_minutes, held_after_minutes)
         SELECT $1::uuid, NULL, redemption.id, 'HELD', 0, $4::bigint, updated.balance_minutes, updated.held_minutes FROM redemption, updated
         RETURNING id
       )
       SELECT redemption.*, updated.balance_minutes AS balance_after, updated.held_minutes AS held_after, (SELECT count(*) FROM entry)::int AS entries
         FROM redemption, updated`,
      [redemption.accountId, redemption.userId, redemption.serviceType, redemption.minutes, redemption.scheduledFor, redemption.note],
    );
    const row = rows[0];
    if (!row || Number(row.entries) !== 1) throw new Error('time-bank account missing while holding minutes');
    return { redemption: row, after: { balanceMinutes: Number(row.balance_after), heldMinutes: Number(row.held_after) } };
  }

  /** Applies one entry to its (locked) account's cached balances and records it with the result. */
  async applyEntry(manager: EntityManager, entry: NewEntry): Promise<EntryRow> {
    const rows: Raw[] = await manager.query(
      `WITH updated AS (
         UPDATE time_bank_accounts
            SET balance_minutes = balance_minutes + $5, held_minutes = held_minutes + $6, updated_at = now()
          WHERE id = $1
          RETURNING balance_minutes, held_minutes
       )
       INSERT INTO time_bank_entries
         (account_id, transfer_id, redemption_id, kind, minutes, held_delta_minutes, balance_after_minutes, held_after_minutes)
       SELECT $1, $2, $3, $4, $5, $6, updated.balance_minutes, updated.held_minutes FROM updated
       RETURNING *`,
      [entry.accountId, entry.transferId, entry.redemptionId, entry.kind, entry.minutes, entry.heldDeltaMinutes],
    );
    const first = rows[0];
    if (!first) throw new Error('time-bank account missing while applying an entry');
    return toEntry(first);
  }

  async findTransfer(manager: EntityManager, id: string): Promise<TransferRow | null> {
    const rows: Raw[] = await manager.query(`SELECT * FROM time_bank_transfers WHERE id = $1`, [id]);
    return rows[0] ? toTransfer(rows[0]) : null;
  }

  async findReversalOf(manager: EntityManager, id: string): Promise<TransferRow | null> {
    const rows: Raw[] = await manager.query(`SELECT * FROM time_bank_transfers WHERE reverses_transfer_id = $1`, [id]);
    return rows[0] ? toTransfer(rows[0]) : null;
  }

  async listEntries(accountId: string, limit: number, offset: number): Promise<{ items: EntryRow[]; total: number }> {
    const [rows, count]: [Raw[], Raw[]] = await Promise.all([
      this.dataSource.query(`SELECT * FROM time_bank_entries WHERE account_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3`, [
        accountId,
        limit,
        offset,
      ]),
      this.dataSource.query(`SELECT count(*)::int AS total FROM time_bank_entries WHERE account_id = $1`, [accountId]),
    ]);
    return { items: rows.map(toEntry), total: Number(count[0]?.total ?? 0) };
  }

  /** Every account with its cached balances next to the balances recomputed from its entries. */
  async recompute(): Promise<
    { id: string; kind: AccountKind; userId: string | null; balanceMinutes: number; heldMinutes: number; journalBalanceMinutes: number; journalHeldMinutes: number; openHeldMinutes: number }[]
  > {
    const rows: Raw[] = await this.dataSource.query(`
      SELECT a.id, a.kind, a.user_id, a.balance_minutes, a.held_minutes,
             coalesce(e.balance, 0) AS journal_balance, coalesce(e.held, 0) AS journal_held, coalesce(r.held, 0) AS open_held
        FROM time_bank_accounts a
        LEFT JOIN (SELECT account_id, sum(minutes) AS balance, sum(held_delta_minutes) AS held FROM time_bank_entries GROUP BY account_id) e
          ON e.account_id = a.id
        LEFT JOIN (SELECT account_id, sum(minutes) AS held FROM time_bank_redemptions WHERE status = 'HELD' GROUP BY account_id) r
          ON r.account_id = a.id
       ORDER BY a.id`);
    return rows.map((row) => ({
      ...toAccount(row),
      journalBalanceMinutes: Number(row.journal_balance),
      journalHeldMinutes: Number(row.journal_held),
      openHeldMinutes: Number(row.open_held),
    }));
  }

  /** Transfers whose legs do not sum to zero or are not exactly two (none, when the ledger is sound). */
  async unbalancedTransfers(): Promise<{ transferId: string; sumMinutes: number; legs: number }[]> {
    const rows: Raw[] = await this.dataSource.query(`
      SELECT t.id, coalesce(sum(e.minutes), 0) AS total, count(e.id)::int AS legs
        FROM time_bank_transfers t LEFT JOIN time_bank_entries e ON e.transfer_id = t.id
       GROUP BY t.id
      HAVING coalesce(sum(e.minutes), 0) <> 0 OR count(e.id) <> 2`);
    return rows.map((row) => ({ transferId: row.id as string, sumMinutes: Number(row.total), legs: Number(row.legs) }));
  }
}
