import { DomainError } from '@app/platform';

/** Stable machine codes of the time bank (docs/api.md, "Time bank"). */
export enum TimeBankErrorCode {
  INSUFFICIENT_MINUTES = 'INSUFFICIENT_MINUTES',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  GIFT_LIMIT_REACHED = 'GIFT_LIMIT_REACHED',
  SERVICE_OVERLAP = 'SERVICE_OVERLAP',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  ALREADY_CLAIMED = 'ALREADY_CLAIMED',
  REQUEST_EXPIRED = 'REQUEST_EXPIRED',
  ALREADY_REVERSED = 'ALREADY_REVERSED',
  NOT_REVERSIBLE = 'NOT_REVERSIBLE',
  SELF_TRANSFER = 'SELF_TRANSFER',
  REVIEW_WINDOW_CLOSED = 'REVIEW_WINDOW_CLOSED',
  CANCEL_WINDOW_CLOSED = 'CANCEL_WINDOW_CLOSED',
}

/** A refusal of the time bank, with its contract code. */
export class TimeBankError extends DomainError {
  static insufficientMinutes(availableMinutes: number, wantedMinutes: number): TimeBankError {
    return new TimeBankError(
      'unprocessable',
      TimeBankErrorCode.INSUFFICIENT_MINUTES,
      `Only ${availableMinutes} minutes are available; ${wantedMinutes} are needed.`,
    );
  }

  static notEligible(minAge: number): TimeBankError {
    return new TimeBankError('unprocessable', TimeBankErrorCode.NOT_ELIGIBLE, `Only account holders aged ${minAge} or over may redeem minutes.`);
  }

  static giftLimitReached(limitMinutes: number, givenMinutes: number): TimeBankError {
    return new TimeBankError(
      'unprocessable',
      TimeBankErrorCode.GIFT_LIMIT_REACHED,
      `The yearly giving limit is ${limitMinutes} minutes and ${givenMinutes} have been given this year.`,
    );
  }

  static serviceOverlap(): TimeBankError {
    return new TimeBankError('conflict', TimeBankErrorCode.SERVICE_OVERLAP, 'The volunteer already has a service recorded at an overlapping time.');
  }

  static illegalTransition(what: string, status: string, action: string): TimeBankError {
    return new TimeBankError('conflict', TimeBankErrorCode.ILLEGAL_TRANSITION, `A ${what} that is ${status} cannot be ${action}.`);
  }

  static alreadyClaimed(): TimeBankError {
    return new TimeBankError('conflict', TimeBankErrorCode.ALREADY_CLAIMED, 'Another volunteer has already claimed this request.');
  }

  static requestExpired(): TimeBankError {
    return new TimeBankError('conflict', TimeBankErrorCode.REQUEST_EXPIRED, 'The time this request was for has passed; it can no longer be claimed.');
  }

  static alreadyReversed(): TimeBankError {
    return new TimeBankError('conflict', TimeBankErrorCode.ALREADY_REVERSED, 'This transfer has already been reversed.');
  }

  static notReversible(): TimeBankError {
    return new TimeBankError('conflict', TimeBankErrorCode.NOT_REVERSIBLE, 'A reversing transfer cannot itself be reversed; post a new transfer instead.');
  }

  static reviewWindowClosed(days: number): TimeBankError {
    return new TimeBankError(
      'conflict',
      TimeBankErrorCode.REVIEW_WINDOW_CLOSED,
      `A review can be asked for at most ${days} days after the service was turned down.`,
    );
  }

  /** The holder asked to cancel a booking whose time has come: whether it was given is for staff to say. */
  static cancelWindowClosed(): TimeBankError {
    return new TimeBankError(
      'conflict',
      TimeBankErrorCode.CANCEL_WINDOW_CLOSED,
      'The booked time has come, so the booking can no longer be cancelled by its holder; the staff who give the service record it as given or cancel it.',
    );
  }

  /** Someone acting for a senior asked to give her minutes to themself. */
  static giftToActor(): TimeBankError {
    return new TimeBankError(
      'unprocessable',
      TimeBankErrorCode.SELF_TRANSFER,
      'Whoever acts for a senior cannot give her minutes to themself; she can, or another person for her.',
    );
  }

  static selfTransfer(): TimeBankError {
    return new TimeBankError('unprocessable', TimeBankErrorCode.SELF_TRANSFER, 'Minutes cannot be given to, or earned from, oneself.');
  }
}
