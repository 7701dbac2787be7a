import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig, ageOn, CommonError, IdempotencyService, type Principal, TransactionRunner, hasRole, Role } from '@app/platform';
import { RedemptionEntity } from './entities/time-bank.entities';
import { LedgerService } from './ledger.service';
import { TimeBankError } from './time-bank.errors';
import { EntryKind, RedemptionStatus, type ServiceType, TransferKind } from './time-bank.types';

export interface NewRedemption {
  serviceType: ServiceType;
  minutes: number;
  scheduledFor: string;
  note?: string;
}

export interface RedemptionView {
  id: string;
  accountId: string;
  userId: string;
  serviceType: ServiceType;
  minutes: number;
  scheduledFor: string;
  note: string | null;
  status: RedemptionStatus;
  createdAt: string;
}

export function toRedemptionView(row: RedemptionEntity): RedemptionView {
  return {
    id: row.id,
    accountId: row.accountId,
    userId: row.userId,
    serviceType: row.serviceType,
    minutes: row.minutes,
    scheduledFor: new Date(row.scheduledFor).toISOString(),
    note: row.note,
    status: row.status,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** Idempotency scope of redemption requests: a key is remembered per user and per endpoint. */
export const REDEMPTION_SCOPE = 'time-bank:redemptions';

/**
 * Redemption in two phases, like a pending transfer: booking holds the minutes (available =
 * balance − held), completion posts them to the issuer, cancellation releases the hold.
 */
@Injectable()
export class RedemptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly idempotency: IdempotencyService,
    private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Books a redemption and holds its minutes; a retry with the same key returns the first answer. */
  async book(userId: string, input: NewRedemption, key: string | undefined): Promise<{ status: number; body: RedemptionView }> {
    const scheduledFor = new Date(input.scheduledFor);
    const request = { ...input };
    const result = await this.idempotency.execute({ userId, scope: REDEMPTION_SCOPE, key, request }, async (manager) => {
      const account = (await this.ledger.lockUsers(manager, [userId])).get(userId);
      if (!account) throw CommonError.notFound('user');
      if (!account.birthDate || ageOn(account.birthDate) < this.config.timeBankRedemptionMinAge) {
        throw TimeBankError.notEligible(this.config.timeBankRedemptionMinAge);
      }
      const accountId = account.id;
      const locked = new Map([[accountId, account]]);
      const row = await this.ledger.openRedemption(manager, locked, {
        accountId,
        userId,
        serviceType: input.serviceType,
        minutes: input.minutes,
        scheduledFor: scheduledFor.toISOString(),
        note: input.note ?? null,
      });
      const body: RedemptionView = {
        id: row.id as string,
        accountId,
        userId,
        serviceType: input.serviceType,
        minutes: input.minutes,
        scheduledFor: new Date(row.scheduled_for as Date).toISOString(),
        note: (row.note as string | null) ?? null,
        status: row.status as RedemptionStatus,
        createdAt: new Date(row.created_at as Date).toISOString(),
      };
      return { status: 201, body };
    });
    return { status: result.status, body: result.body };
  }

  async find(principal: Principal, id: string): Promise<RedemptionView> {
    const row = await this.dataSource.getRepository(RedemptionEntity).findOneBy({ id });
    if (!row || !canSee(principal, row)) throw CommonError.notFound('redemption');
    return toRedemptionView(row);
  }

  /** Takes the held minutes: a REDEEM transfer to the issuer that also ends the hold. Repeats are answered, not repeated. */
  async complete(principal: Principal, id: string): Promise<RedemptionView> {
    return this.transactions.run(async (manager) => {
      const row = await this.lockRedemption(manager, principal, id);
      if (row.status === RedemptionStatus.REDEEMED) return toRedemptionView(row);
      if (row.status === RedemptionStatus.CANCELLED) throw TimeBankError.illegalTransition('redemption', 'cancelled', 'completed');
      const locked = await this.ledger.lock(manager, [row.accountId, this.ledger.issuerAccountId]);
      await this.ledger.post(manager, locked, {
        debitAccountId: row.accountId,
        creditAccountId: this.ledger.issuerAccountId,
        minutes: row.minutes,
        kind: TransferKind.REDEEM,
        reference: row.id,
        debitEntryKind: EntryKind.REDEEMED,
        creditEntryKind: EntryKind.REDEEMED,
        actorId: principal.id,
        consumesHoldOf: row.id,
      });
      await manager.query(`UPDATE time_bank_redemptions SET status = 'REDEEMED', decided_by = $2, decided_at = now() WHERE id = $1`, [id, principal.id]);
      return toRedemptionView({ ...row, status: RedemptionStatus.REDEEMED });
    });
  }

  /** Releases the hold; the owner, a manager or an admin may cancel. Repeats are answered, not repeated. */
  async cancel(principal: Principal, id: string): Promise<RedemptionView> {
    return this.transactions.run(async (manager) => {
      const row = await this.lockRedemption(manager, principal, id);
      if (row.status === RedemptionStatus.CANCELLED) return toRedemptionView(row);
      if (row.status === RedemptionStatus.REDEEMED) throw TimeBankError.illegalTransition('redemption', 'redeemed', 'cancelled');
      const locked = await this.ledger.lock(manager, [row.accountId]);
      await this.ledger.changeHold(manager, locked, { accountId: row.accountId, redemptionId: row.id, deltaMinutes: -row.minutes });
      await manager.query(`UPDATE time_bank_redemptions SET status = 'CANCELLED', decided_by = $2, decided_at = now() WHERE id = $1`, [id, principal.id]);
      return toRedemptionView({ ...row, status: RedemptionStatus.CANCELLED });
    });
  }

  /** Locks the redemption row first (before any account), and hides it from whoever may not see it. */
  private async lockRedemption(manager: EntityManager, principal: Principal, id: string): Promise<RedemptionEntity> {
    const row = await manager.getRepository(RedemptionEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row || !canSee(principal, row)) throw CommonError.notFound('redemption');
    return row;
  }
}

function canSee(principal: Principal, row: RedemptionEntity): boolean {
  return row.userId === principal.id || hasRole(principal, Role.MANAGER, Role.ADMIN);
}
