import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, CommonError, IdempotencyService } from '@app/platform';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async give(fromUserId: string, input: NewGift, key: string | undefined): Promise<{ status: number; body: GiftView }> {
    if (input.toUserId === fromUserId) throw TimeBankError.selfTransfer();
    const limit = this.config.timeBankGiftLimitMinutesPerYear;
    const result = await this.idempotency.execute({ userId: fromUserId, scope: GIFT_SCOPE, key, request: { ...input } }, async (manager) => {
      const byUser = await this.ledger.lockUsers(manager, [fromUserId, input.toUserId]);
      const from = byUser.get(fromUserId);
      const to = byUser.get(input.toUserId);
      if (!to) throw CommonError.notFound('receiving user');
      if (!from) throw CommonError.notFound('user');
      const locked = new Map([from, to].map((account) => [account.id, account]));
      // Counted after the giver's account is locked: concurrent gifts of the same giver have
      // committed by now. The gift is recorded only if it keeps the year within the limit.
      const rows: { year: number; total: string; id: string | null; created_at: Date | null }[] = await manager.query(
        `WITH given AS (
           SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int AS year,
                  coalesce((SELECT sum(minutes) FROM time_bank_gifts
                             WHERE from_user_id = $1::uuid AND gift_year = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int), 0) AS total
         ), gift AS (
           INSERT INTO time_bank_gifts (from_user_id, to_user_id, minutes, relationship, gift_year)
           SELECT $1::uuid, $2::uuid, $3::int, $4::varchar, given.year FROM given WHERE given.total + $3::int <= $5::bigint
           RETURNING id, created_at
         )
         SELECT given.year, given.total, gift.id, gift.created_at FROM given LEFT JOIN gift ON true`,
        [fromUserId, input.toUserId, input.minutes, input.relationship, limit],
      );
      const total = Number(rows[0]?.total ?? 0);
      const gift = rows[0];
      if (!gift?.id || !gift.created_at || !withinGiftLimit(total, input.minutes, limit)) throw TimeBankError.giftLimitReached(limit, total);
      const transfer = await this.ledger.post(manager, locked, {
        debitAccountId: from.id,
        creditAccountId: to.id,
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
