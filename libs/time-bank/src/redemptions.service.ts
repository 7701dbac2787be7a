import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, CommonError, type Principal, requestHash } from '@app/platform';
import { RedemptionEntity } from './redemption.entity';
import { LedgerRepository } from './ledger.repository';
import { StaffScope } from './staff-scope';
import type { RedemptionStatus, ServiceType } from './time-bank.types';

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
    private readonly ledger: LedgerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffScope,
  ) {}

  /**
   * Books a redemption and holds its minutes through `time_bank_hold`, grouped with concurrent ones by `time_bank_batch` (key, age, available
   * minutes on the locked account, redemption, hold); a retry with the same key returns the first answer.
   */
  async book(userId: string, input: NewRedemption, key: string | undefined): Promise<{ status: number; body: RedemptionView }> {
    const minAge = this.config.timeBankRedemptionMinAge;
    const answer = await this.ledger.hold({
      user: userId,
      key: key ?? null,
      hash: requestHash({ ...input }),
      serviceType: input.serviceType,
      minutes: input.minutes,
      scheduledFor: new Date(input.scheduledFor).toISOString(),
      note: input.note ?? null,
      bornBy: latestBirthDateOfAge(minAge),
      minAge,
    });
    return { status: answer.status, body: answer.body as unknown as RedemptionView };
  }

  async find(principal: Principal, id: string): Promise<RedemptionView> {
    const row = await this.dataSource.getRepository(RedemptionEntity).findOneBy({ id });
    if (!row || !(row.userId === principal.id || (await this.staff.actsFor(principal, row.userId)))) throw CommonError.notFound('redemption');
    return toRedemptionView(row);
  }

  /** Takes the held minutes: a REDEEM transfer to the issuer that also ends the hold (`time_bank_complete`). Repeats are answered, not repeated. */
  async complete(principal: Principal, id: string): Promise<RedemptionView> {
    const privileged = await this.staff.actsFor(principal, () => this.ledger.redemptionHolder(id));
    return toRedemptionView(await this.ledger.complete(id, principal.id, privileged));
  }

  /** Releases the hold (`time_bank_cancel`); the owner or staff for the owner (StaffScope) may cancel. Repeats are answered, not repeated. */
  async cancel(principal: Principal, id: string): Promise<RedemptionView> {
    const privileged = await this.staff.actsFor(principal, () => this.ledger.redemptionHolder(id));
    return toRedemptionView(await this.ledger.cancel(id, principal.id, privileged));
  }
}

/**
 * The latest birth date (YYYY-MM-DD) of someone aged at least `years` today, counted as `ageOn`
 * counts (UTC calendar date): born on or before it means old enough.
 */
export function latestBirthDateOfAge(years: number, on: Date = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${String(on.getUTCFullYear() - years).padStart(4, '0')}-${pad(on.getUTCMonth() + 1)}-${pad(on.getUTCDate())}`;
}
