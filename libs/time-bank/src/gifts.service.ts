import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, CommonError, IdempotencyService } from '@app/platform';
import { UsersService } from '@app/identity';
import { LedgerService } from './ledger.service';
import { TimeBankError } from './time-bank.errors';
import { withinGiftLimit } from './time-bank.rules';
import { EntryKind, type Relationship, TransferKind } from './time-bank.types';

export interface NewGift {
  toUserId: string;
  minutes: number;
  relationship: Relationship;
}

export interface GiftView {
  id: string;
  fromUserId: string;
  toUserId: string;
  minutes: number;
  relationship: Relationship;
  transferId: string;
  createdAt: string;
}

/** Idempotency scope of gift requests. */
export const GIFT_SCOPE = 'time-bank:gifts';

/**
 * Gifts of minutes to a family member. The yearly limit (calendar year in Asia/Shanghai) is
 * counted while the giver's account is locked, so concurrent gifts cannot exceed it together.
 */
@Injectable()
export class GiftsService {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly ledger: LedgerService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async give(fromUserId: string, input: NewGift, key: string | undefined): Promise<{ status: number; body: GiftView }> {
    if (input.toUserId === fromUserId) throw TimeBankError.selfTransfer();
    const receiver = await this.users.findById(input.toUserId);
    if (!receiver) throw CommonError.notFound('receiving user');
    const result = await this.idempotency.execute({ userId: fromUserId, scope: GIFT_SCOPE, key, request: { ...input } }, async (manager) => {
      const fromAccountId = await this.ledger.ensureUserAccount(manager, fromUserId);
      const toAccountId = await this.ledger.ensureUserAccount(manager, input.toUserId);
      const locked = await this.ledger.lock(manager, [fromAccountId, toAccountId]);
      const given: { year: number; total: string }[] = await manager.query(
        `SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int AS year,
                coalesce((SELECT sum(minutes) FROM time_bank_gifts
                           WHERE from_user_id = $1 AND gift_year = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int), 0) AS total`,
        [fromUserId],
      );
      const year = Number(given[0]?.year);
      const total = Number(given[0]?.total ?? 0);
      if (!withinGiftLimit(total, input.minutes, this.config.timeBankGiftLimitMinutesPerYear)) {
        throw TimeBankError.giftLimitReached(this.config.timeBankGiftLimitMinutesPerYear, total);
      }
      const rows: { id: string; created_at: Date }[] = await manager.query(
        `INSERT INTO time_bank_gifts (from_user_id, to_user_id, minutes, relationship, gift_year) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
        [fromUserId, input.toUserId, input.minutes, input.relationship, year],
      );
      const gift = rows[0];
      if (!gift) throw new Error('gift insert returned nothing');
      const transfer = await this.ledger.post(manager, locked, {
        debitAccountId: fromAccountId,
        creditAccountId: toAccountId,
        minutes: input.minutes,
        kind: TransferKind.GIFT,
        reference: gift.id,
        debitEntryKind: EntryKind.GIFT_OUT,
        creditEntryKind: EntryKind.GIFT_IN,
        actorId: fromUserId,
      });
      const body: GiftView = {
        id: gift.id,
        fromUserId,
        toUserId: input.toUserId,
        minutes: input.minutes,
        relationship: input.relationship,
        transferId: transfer.id,
        createdAt: new Date(gift.created_at).toISOString(),
      };
      return { status: 201, body };
    });
    return { status: result.status, body: result.body };
  }
}
