import { DomainError } from '@app/platform';

/** Stable machine codes of enrolment (docs/api.md, "Enrolment"). */
export enum EnrolmentErrorCode {
  ENROLMENT_CLOSED = 'ENROLMENT_CLOSED',
  TERM_STILL_OPEN = 'TERM_STILL_OPEN',
  NOT_A_LOTTERY = 'NOT_A_LOTTERY',
  NOT_CANCELLABLE = 'NOT_CANCELLABLE',
  CAPACITY_BELOW_CONFIRMED = 'CAPACITY_BELOW_CONFIRMED',
  TERM_ALREADY_OPEN = 'TERM_ALREADY_OPEN',
  TERM_ALREADY_CLOSED = 'TERM_ALREADY_CLOSED',
  COURSE_CANCELLED = 'COURSE_CANCELLED',
}

/** A refusal of enrolment, with its contract code. */
export class EnrolmentError extends DomainError {
  static closed(): EnrolmentError {
    return new EnrolmentError('conflict', EnrolmentErrorCode.ENROLMENT_CLOSED, 'Enrolment for this term is not open now.');
  }

  static termStillOpen(): EnrolmentError {
    return new EnrolmentError('conflict', EnrolmentErrorCode.TERM_STILL_OPEN, 'A lottery is drawn only after the term has closed.');
  }

  static notALottery(): EnrolmentError {
    return new EnrolmentError('conflict', EnrolmentErrorCode.NOT_A_LOTTERY, 'This course fills first come, first served; it has no draw.');
  }

  static capacityBelowConfirmed(confirmed: number): EnrolmentError {
    return new EnrolmentError(
      'conflict',
      EnrolmentErrorCode.CAPACITY_BELOW_CONFIRMED,
      `${confirmed} seats of this course are taken: its capacity cannot go below that. A senior gives a seat up by cancelling her ticket.`,
      [{ field: 'capacity', message: `must be at least ${confirmed}, the seats taken` }],
    );
  }

  static termAlreadyOpen(): EnrolmentError {
    return new EnrolmentError(
      'conflict',
      EnrolmentErrorCode.TERM_ALREADY_OPEN,
      'Applications for this term have opened: its opening, its limit of courses and its minimum age stay, since applications were decided by them.',
    );
  }

  static termAlreadyClosed(): EnrolmentError {
    return new EnrolmentError('conflict', EnrolmentErrorCode.TERM_ALREADY_CLOSED, 'Applications for this term have closed: its closing stays.');
  }

  static courseCancelled(): EnrolmentError {
    return new EnrolmentError('conflict', EnrolmentErrorCode.COURSE_CANCELLED, 'This course has been cancelled: it takes no applications and does not change.');
  }

  static notCancellable(status: string): EnrolmentError {
    return new EnrolmentError('conflict', EnrolmentErrorCode.NOT_CANCELLABLE, `A ticket that is ${status} cannot be cancelled.`);
  }
}
