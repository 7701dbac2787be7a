import { Injectable } from '@nestjs/common';
import { CommonError, Permission, type Principal, requireAccess, TransactionRunner } from '@app/platform';
import { type AccountRow, type EntryRow, LedgerRepository, type TransferRow } from './ledger.repository';
import { AccountKind } from './time-bank.types';

/** Balances of one account as the contract shows them. */
export interface AccountView {
  accountId: string;
  balanceMinutes: number;
  heldMinutes: number;
  availableMinutes: number;
}

export interface AuditMismatch {
  accountId: string | null;
  transferId: string | null;
  problem: string;
  expectedMinutes: number;
  actualMinutes: number;
}

export interface AuditReport {
  accounts: number;
  sumOfBalancesMinutes: number;
  issuedMinutes: number;
  heldMinutes: number;
  poolMinutes: number;
  mismatches: AuditMismatch[];
}

export function toAccountView(account: AccountRow): AccountView {
  return {
    accountId: account.id,
    balanceMinutes: account.balanceMinutes,
    heldMinutes: account.heldMinutes,
    availableMinutes: account.balanceMinutes - account.heldMinutes,
  };
}

/** How many new journal entries make the audit write a new checkpoint. */
export const AUDIT_CHECKPOINT_EVERY_ENTRIES = 50_000;

/**
 * The double-entry core's reads and audit. Every minute moves as a transfer from one account to
 * another, with one entry per account carrying the balance after it; the writes are PostgreSQL
 * functions (see `LedgerRepository`), one call per operation.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** The caller's own account, created on first use. */
  async myAccount(userId: string): Promise<AccountView> {
    const existing = await this.ledger.findAccountByUser(userId);
    if (existing) return toAccountView(existing);
    await this.transactions.run((manager) => this.ledger.ensureUserAccount(manager, userId));
    const created = await this.ledger.findAccountByUser(userId);
    if (!created) throw new Error('time-bank account vanished after creation');
    return toAccountView(created);
  }

  /** An account by id, for its holder or an administrator; anyone else gets 404. */
  async accountFor(principal: Principal, accountId: string): Promise<AccountRow> {
    const account = await this.ledger.findAccount(accountId);
    if (!account) throw CommonError.notFound('account');
    requireAccess(principal, Permission.OwnerOrAdmin, account.userId, { notFound: 'account' });
    return account;
  }

  async entries(accountId: string, limit: number, offset: number): Promise<{ items: EntryRow[]; total: number }> {
    return this.ledger.listEntries(accountId, limit, offset);
  }

  async myEntries(userId: string, limit: number, offset: number): Promise<{ items: EntryRow[]; total: number }> {
    const account = await this.myAccount(userId);
    return this.ledger.listEntries(account.accountId, limit, offset);
  }

  /**
   * Posts the mirror image of a transfer (accounts swapped), naming the one it reverses, in one
   * call of `time_bank_reverse`. A transfer is reversed at most once (checked after both
   * accounts are locked, and by a unique index), and a reversal that would take an account below
   * its available minutes is refused.
   */
  reverse(actorId: string, transferId: string, reason: string): Promise<TransferRow> {
    return this.ledger.reverse(transferId, actorId, reason);
  }

  /**
   * Writes an audit checkpoint when at least `minNewEntries` journal entries came since the last
   * one and their transfers are balanced; the audit does this itself past its threshold.
   */
  checkpoint(minNewEntries = AUDIT_CHECKPOINT_EVERY_ENTRIES): Promise<boolean> {
    return this.ledger.writeCheckpoint(minNewEntries);
  }

  /**
   * Recomputes every account from the journal and compares: cached balance with the sum of its
   * entries, cached held minutes with the sum of hold changes and with the open redemptions, and
   * every transfer's legs with zero. The sum over all accounts, the issuer included, must be 0.
   * The journal before the latest checkpoint is taken from its verified sums.
   */
  async audit(): Promise<AuditReport> {
    // Past the threshold, the journal so far is checked once and remembered, so the audit reads
    // only what came after (a year of district data would otherwise be read in full each time).
    await this.ledger.writeCheckpoint(AUDIT_CHECKPOINT_EVERY_ENTRIES);
    const checkpoint = await this.ledger.latestCheckpoint();
    const [accounts, unbalanced] = await Promise.all([this.ledger.recompute(checkpoint), this.ledger.unbalancedTransfers(checkpoint)]);
    const mismatches: AuditMismatch[] = [];
    let sum = 0;
    let held = 0;
    let issued = 0;
    let pool = 0;
    for (const account of accounts) {
      sum += account.journalBalanceMinutes;
      held += account.heldMinutes;
      if (account.kind === AccountKind.ISSUER) issued -= account.journalBalanceMinutes;
      if (account.kind === AccountKind.POOL) pool += account.journalBalanceMinutes;
      const mismatch = (problem: string, expectedMinutes: number, actualMinutes: number): void => {
        if (expectedMinutes !== actualMinutes) mismatches.push({ accountId: account.id, transferId: null, problem, expectedMinutes, actualMinutes });
      };
      mismatch('BALANCE_DIFFERS_FROM_JOURNAL', account.journalBalanceMinutes, account.balanceMinutes);
      mismatch('HELD_DIFFERS_FROM_JOURNAL', account.journalHeldMinutes, account.heldMinutes);
      mismatch('HELD_DIFFERS_FROM_OPEN_REDEMPTIONS', account.openHeldMinutes, account.heldMinutes);
      if (account.kind !== AccountKind.ISSUER && account.balanceMinutes - account.heldMinutes < 0) {
        mismatches.push({
          accountId: account.id,
          transferId: null,
          problem: 'NEGATIVE_AVAILABLE',
          expectedMinutes: 0,
          actualMinutes: account.balanceMinutes - account.heldMinutes,
        });
      }
    }
    for (const transfer of unbalanced) {
      mismatches.push({
        accountId: null,
        transferId: transfer.transferId,
        problem: 'UNBALANCED_TRANSFER',
        expectedMinutes: 0,
        actualMinutes: transfer.sumMinutes,
      });
    }
    if (sum !== 0) mismatches.push({ accountId: null, transferId: null, problem: 'SUM_NOT_ZERO', expectedMinutes: 0, actualMinutes: sum });
    return { accounts: accounts.length, sumOfBalancesMinutes: sum, issuedMinutes: issued, heldMinutes: held, poolMinutes: pool, mismatches };
  }
}
