import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonError, type Principal, TransactionRunner, hasRole, Role, sqlState, violatedConstraint } from '@app/platform';
import { type AccountRow, type EntryRow, type HeldAccountRow, LedgerRepository, type TransferRow } from './ledger.repository';
import { ISSUER_ACCOUNT_ID, POOL_ACCOUNT_ID } from './migrations/1764400200000-time-bank-ledger';
import { TimeBankError } from './time-bank.errors';
import { AccountKind, type EntryKind, EntryKind as Kinds, type TransferKind, TransferKind as TransferKinds } from './time-bank.types';

/** Balances of one account as the contract shows them. */
export interface AccountView {
  accountId: string;
  balanceMinutes: number;
  heldMinutes: number;
  availableMinutes: number;
}

export interface PostTransfer {
  debitAccountId: string;
  creditAccountId: string;
  minutes: number;
  kind: TransferKind;
  reference: string | null;
  debitEntryKind: EntryKind;
  creditEntryKind: EntryKind;
  actorId: string | null;
  reversesTransferId?: string;
  reason?: string;
  /** The debit consumes minutes that were held for this redemption (completion of a redemption). */
  consumesHoldOf?: string;
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

/** The account limits CHECK; if the code ever let a balance go below zero, this is what stops it. */
const LIMITS_CONSTRAINT = 'ck_time_bank_accounts_limits';

export function toAccountView(account: AccountRow): AccountView {
  return {
    accountId: account.id,
    balanceMinutes: account.balanceMinutes,
    heldMinutes: account.heldMinutes,
    availableMinutes: account.balanceMinutes - account.heldMinutes,
  };
}

/**
 * The double-entry core. Every minute moves as a transfer from one account to another, with one
 * entry per account carrying the balance after it; cached balances change in the same statement
 * as the entry. Callers lock the accounts first (`lock`), always in ascending id order.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  readonly issuerAccountId = ISSUER_ACCOUNT_ID;
  readonly poolAccountId = POOL_ACCOUNT_ID;

  ensureUserAccount(manager: EntityManager, userId: string): Promise<string> {
    return this.ledger.ensureUserAccount(manager, userId);
  }

  /** Locks the accounts of users (created on first use), keyed by user id; a user who does not exist is absent. */
  lockUsers(manager: EntityManager, userIds: string[]): Promise<Map<string, HeldAccountRow>> {
    return this.ledger.lockUserAccounts(manager, userIds);
  }

  lock(manager: EntityManager, accountIds: string[]): Promise<Map<string, AccountRow>> {
    return this.ledger.lockAccounts(manager, accountIds);
  }

  /** Posts one transfer between two locked accounts; refuses to take more than is available. */
  async post(manager: EntityManager, locked: Map<string, AccountRow>, input: PostTransfer): Promise<TransferRow> {
    const debit = locked.get(input.debitAccountId);
    const credit = locked.get(input.creditAccountId);
    if (!debit || !credit) throw new Error('post() needs both accounts locked first');
    if (debit.kind !== AccountKind.ISSUER) {
      const available = debit.balanceMinutes - debit.heldMinutes + (input.consumesHoldOf ? input.minutes : 0);
      if (available < input.minutes) throw TimeBankError.insufficientMinutes(debit.balanceMinutes - debit.heldMinutes, input.minutes);
    }
    try {
      const posted = await this.ledger.postTransfer(manager, {
        debitAccountId: input.debitAccountId,
        creditAccountId: input.creditAccountId,
        minutes: input.minutes,
        kind: input.kind,
        reference: input.reference,
        reversesTransferId: input.reversesTransferId ?? null,
        reason: input.reason ?? null,
        actorId: input.actorId,
        debitEntryKind: input.debitEntryKind,
        creditEntryKind: input.creditEntryKind,
        debitRedemptionId: input.consumesHoldOf ?? null,
        debitHeldDeltaMinutes: input.consumesHoldOf ? -input.minutes : 0,
      });
      // Keep the caller's view of the locked accounts in step with what the database now holds.
      Object.assign(debit, posted.debitAfter);
      Object.assign(credit, posted.creditAfter);
      return posted.transfer;
    } catch (error) {
      throw translateLimits(error, debit, input.minutes);
    }
  }

  /** Sets minutes of a locked account aside for a redemption, or gives them back. */
  async changeHold(
    manager: EntityManager,
    locked: Map<string, AccountRow>,
    input: { accountId: string; redemptionId: string; deltaMinutes: number },
  ): Promise<EntryRow> {
    const account = locked.get(input.accountId);
    if (!account) throw new Error('changeHold() needs the account locked first');
    if (input.deltaMinutes > 0 && account.balanceMinutes - account.heldMinutes < input.deltaMinutes) {
      throw TimeBankError.insufficientMinutes(account.balanceMinutes - account.heldMinutes, input.deltaMinutes);
    }
    try {
      const entry = await this.ledger.applyEntry(manager, {
        accountId: input.accountId,
        transferId: null,
        redemptionId: input.redemptionId,
        kind: input.deltaMinutes > 0 ? Kinds.HELD : Kinds.RELEASED,
        minutes: 0,
        heldDeltaMinutes: input.deltaMinutes,
      });
      remember(locked, entry);
      return entry;
    } catch (error) {
      throw translateLimits(error, account, input.deltaMinutes);
    }
  }

  /**
   * Opens a redemption on a locked account and holds its minutes in one statement; refuses to
   * hold more than is available. Returns the new redemption's row (snake_case columns).
   */
  async openRedemption(
    manager: EntityManager,
    locked: Map<string, AccountRow>,
    input: { accountId: string; userId: string; serviceType: string; minutes: number; scheduledFor: string; note: string | null },
  ): Promise<Record<string, unknown>> {
    const account = locked.get(input.accountId);
    if (!account) throw new Error('openRedemption() needs the account locked first');
    const available = account.balanceMinutes - account.heldMinutes;
    if (available < input.minutes) throw TimeBankError.insufficientMinutes(available, input.minutes);
    try {
      const opened = await this.ledger.insertRedemptionWithHold(manager, input);
      Object.assign(account, opened.after);
      return opened.redemption;
    } catch (error) {
      throw translateLimits(error, account, input.minutes);
    }
  }

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
    if (account.userId !== principal.id && !hasRole(principal, Role.ADMIN)) throw CommonError.notFound('account');
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
   * Posts the mirror image of a transfer (accounts swapped), naming the one it reverses. A
   * transfer is reversed at most once (a unique index makes sure under concurrency), and a
   * reversal that would take an account below its available minutes is refused.
   */
  async reverse(actorId: string, transferId: string, reason: string): Promise<TransferRow> {
    try {
      return await this.transactions.run(async (manager) => {
        const original = await this.ledger.findTransfer(manager, transferId);
        if (!original) throw CommonError.notFound('transfer');
        if (original.kind === TransferKinds.REVERSAL) throw TimeBankError.notReversible();
        const locked = await this.lock(manager, [original.debitAccountId, original.creditAccountId]);
        // Checked after the locks: a concurrent reversal of the same transfer has committed by now.
        if (await this.ledger.findReversalOf(manager, transferId)) throw TimeBankError.alreadyReversed();
        return this.post(manager, locked, {
          debitAccountId: original.creditAccountId,
          creditAccountId: original.debitAccountId,
          minutes: original.minutes,
          kind: TransferKinds.REVERSAL,
          reference: original.reference,
          reversesTransferId: original.id,
          reason,
          debitEntryKind: Kinds.REVERSAL,
          creditEntryKind: Kinds.REVERSAL,
          actorId,
        });
      });
    } catch (error) {
      if (sqlState(error) === '23505' && violatedConstraint(error) === 'uq_time_bank_transfers_reverses') throw TimeBankError.alreadyReversed();
      throw error;
    }
  }

  /**
   * Recomputes every account from the journal and compares: cached balance with the sum of its
   * entries, cached held minutes with the sum of hold changes and with the open redemptions, and
   * every transfer's legs with zero. The sum over all accounts, the issuer included, must be 0.
   */
  async audit(): Promise<AuditReport> {
    const [accounts, unbalanced] = await Promise.all([this.ledger.recompute(), this.ledger.unbalancedTransfers()]);
    const mismatches: AuditMismatch[] = [];
    let sum = 0;
    let held = 0;
    let issued = 0;
    let pool = 0;
    for (const account of accounts) {
      sum += account.journalBalanceMinutes;
      held += account.heldMinutes;
      if (account.kind === AccountKind.ISSUER) issued = -account.journalBalanceMinutes;
      if (account.kind === AccountKind.POOL) pool = account.journalBalanceMinutes;
      const mismatch = (problem: string, expectedMinutes: number, actualMinutes: number): void => {
        if (expectedMinutes !== actualMinutes) mismatches.push({ accountId: account.id, transferId: null, problem, expectedMinutes, actualMinutes });
      };
      mismatch('BALANCE_DIFFERS_FROM_JOURNAL', account.journalBalanceMinutes, account.balanceMinutes);
      mismatch('HELD_DIFFERS_FROM_JOURNAL', account.journalHeldMinutes, account.heldMinutes);
      mismatch('HELD_DIFFERS_FROM_OPEN_REDEMPTIONS', account.openHeldMinutes, account.heldMinutes);
      if (account.kind !== AccountKind.ISSUER && account.balanceMinutes - account.heldMinutes < 0) {
        mismatches.push({ accountId: account.id, transferId: null, problem: 'NEGATIVE_AVAILABLE', expectedMinutes: 0, actualMinutes: account.balanceMinutes - account.heldMinutes });
      }
    }
    for (const transfer of unbalanced) {
      mismatches.push({ accountId: null, transferId: transfer.transferId, problem: 'UNBALANCED_TRANSFER', expectedMinutes: 0, actualMinutes: transfer.sumMinutes });
    }
    if (sum !== 0) mismatches.push({ accountId: null, transferId: null, problem: 'SUM_NOT_ZERO', expectedMinutes: 0, actualMinutes: sum });
    return { accounts: accounts.length, sumOfBalancesMinutes: sum, issuedMinutes: issued, heldMinutes: held, poolMinutes: pool, mismatches };
  }
}

/** Keeps the caller's view of a locked account in step with what the database now holds. */
function remember(locked: Map<string, AccountRow>, entry: EntryRow): void {
  const account = locked.get(entry.accountId);
  if (!account) return;
  account.balanceMinutes = entry.balanceAfterMinutes;
  account.heldMinutes = entry.heldAfterMinutes;
}

function translateLimits(error: unknown, account: AccountRow, minutes: number): unknown {
  if (violatedConstraint(error) === LIMITS_CONSTRAINT) {
    return TimeBankError.insufficientMinutes(Math.max(0, account.balanceMinutes - account.heldMinutes), minutes);
  }
  return error;
}
