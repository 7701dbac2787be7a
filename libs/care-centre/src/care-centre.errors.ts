import { DomainError, type ErrorKind, type FieldProblem } from '@app/platform';

/** Stable codes of the care-centre domain (docs/api.md, "Care centres"). */
export enum CareCentreErrorCode {
  ALREADY_CHECKED_IN = 'ALREADY_CHECKED_IN',
  DAY_CAPACITY_REACHED = 'DAY_CAPACITY_REACHED',
  NOT_A_SENIOR = 'NOT_A_SENIOR',
  CENTRE_NOT_OPERATING = 'CENTRE_NOT_OPERATING',
  CHECK_IN_CLOSED = 'CHECK_IN_CLOSED',
  SERVICE_RECORD_CLOSED = 'SERVICE_RECORD_CLOSED',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
}

/** Errors the care-centre library throws on purpose; the HTTP filter picks the status. */
export class CareCentreError extends DomainError {
  constructor(kind: ErrorKind, code: CareCentreErrorCode, detail: string, errors?: FieldProblem[]) {
    super(kind, code, detail, errors);
  }

  static alreadyCheckedIn(): CareCentreError {
    return new CareCentreError('conflict', CareCentreErrorCode.ALREADY_CHECKED_IN, 'This senior has already checked in at this centre today.');
  }

  static dayCapacityReached(): CareCentreError {
    return new CareCentreError(
      'conflict',
      CareCentreErrorCode.DAY_CAPACITY_REACHED,
      'The centre has checked in as many seniors today as its day capacity allows.',
    );
  }

  static notASenior(): CareCentreError {
    return new CareCentreError('unprocessable', CareCentreErrorCode.NOT_A_SENIOR, 'Only a registered senior can check in or receive services.', [
      { field: 'seniorId', message: 'is not a registered senior' },
    ]);
  }

  static notOperating(): CareCentreError {
    return new CareCentreError(
      'unprocessable',
      CareCentreErrorCode.CENTRE_NOT_OPERATING,
      'The centre is not operating yet, so it records no attendance or services.',
    );
  }

  static checkInClosed(): CareCentreError {
    return new CareCentreError(
      'conflict',
      CareCentreErrorCode.CHECK_IN_CLOSED,
      'Only a check-in of today can be withdrawn; earlier days are in the figures already reported.',
    );
  }

  static serviceRecordClosed(): CareCentreError {
    return new CareCentreError(
      'conflict',
      CareCentreErrorCode.SERVICE_RECORD_CLOSED,
      'Only a service record entered today can be withdrawn; earlier ones are in the figures already reported.',
    );
  }

  static invalid(field: string, message: string): CareCentreError {
    return new CareCentreError('validation', CareCentreErrorCode.VALIDATION_FAILED, `${field} ${message}.`, [{ field, message }]);
  }
}
