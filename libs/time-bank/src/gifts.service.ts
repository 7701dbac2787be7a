import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, requestHash } from '@app/platform';
import { LedgerRepository } from './ledger.repository';
import { TimeBankError } from './time-bank.errors';
import type { Relationship } from './time-bank.types';

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
 * Gifts of minutes to a family member through `time_bank_gift`, grouped with concurrent ones by `time_bank_batch`: the Idempotency-Key, both
 * accounts locked in id order, the yearly limit (calendar year in Asia/Shanghai) counted on the
 * locked giver so concurrent gifts cannot exceed it together, the gift and its transfer.
 */
@Injectable()
export class GiftsService {
  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What the user may still give this calendar year: the yearly limit less what they gave, never below 0. */
  async allowanceOf(userId: string): Promise<number> {
    return Math.max(0, this.config.timeBankGiftLimitMinutesPerYear - (await this.ledger.givenThisYear(userId)));
  }

  async give(fromUserId: string, input: NewGift, key: string | undefined): Promise<{ status: number; body: GiftView }> {
    if (input.toUserId === fromUserId) throw TimeBankError.selfTransfer();
    const answer = await this.ledger.gift({
      user: fromUserId,
      key: key ?? null,
      hash: requestHash({ ...input }),
      to: input.toUserId,
      minutes: input.minutes,
      relationship: input.relationship,
      limit: this.config.timeBankGiftLimitMinutesPerYear,
    });
    return { status: answer.status, body: answer.body as unknown as GiftView };
  }
}
