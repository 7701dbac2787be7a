import { DomainError, type ErrorKind, type FieldProblem } from '@app/platform';

export enum IdentityErrorCode {
  ALREADY_REGISTERED = 'ALREADY_REGISTERED',
  INVALID_ID_CARD_NUMBER = 'INVALID_ID_CARD_NUMBER',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  INVALID_ONE_TIME_CODE = 'INVALID_ONE_TIME_CODE',
  PHONE_REQUIRED = 'PHONE_REQUIRED',
  RELATIVE_NOT_REGISTERED = 'RELATIVE_NOT_REGISTERED',
  ALREADY_LINKED = 'ALREADY_LINKED',
  LAST_ROLE = 'LAST_ROLE',
  PHONE_TAKEN = 'PHONE_TAKEN',
  CLOSE_AT_COUNTER = 'CLOSE_AT_COUNTER',
}

export class IdentityError extends DomainError {
  constructor(kind: ErrorKind, code: IdentityErrorCode, detail: string, errors?: FieldProblem[]) {
    super(kind, code, detail, errors);
  }

  static alreadyRegistered(): IdentityError {
    return new IdentityError('conflict', IdentityErrorCode.ALREADY_REGISTERED, 'This phone number or ID-card number is already registered.');
  }

  static closeAtCounter(): IdentityError {
    return new IdentityError(
      'conflict',
      IdentityErrorCode.CLOSE_AT_COUNTER,
      'A senior’s or a staff account is closed by an administrator: at the service counter, or by the bureau.',
    );
  }

  /** Seniors and volunteers are adults (`ADULT_ROLES`); `detail` says whose number is a minor's. */
  static notAdult(detail: string): IdentityError {
    return new IdentityError('unprocessable', IdentityErrorCode.NOT_ELIGIBLE, detail);
  }

  /** A senior's or a volunteer's role asked for a person whose ID number is a minor's. */
  static minorForRoles(): IdentityError {
    return IdentityError.notAdult('Seniors and volunteers are 18 or over, and this ID number belongs to a minor.');
  }

  static phoneTaken(): IdentityError {
    return new IdentityError('conflict', IdentityErrorCode.PHONE_TAKEN, 'This phone number now belongs to another account: give a new one.', [
      { field: 'phone', message: 'belongs to another account' },
    ]);
  }

  static badCredentials(): IdentityError {
    // One message for an unknown phone and a wrong password, so the response tells nothing.
    return new IdentityError('unauthenticated', IdentityErrorCode.UNAUTHENTICATED, 'The phone number or password is not correct.');
  }

  static invalidOneTimeCode(): IdentityError {
    // One message for an unknown phone, a wrong code, a used code and an expired one.
    return new IdentityError(
      'validation',
      IdentityErrorCode.INVALID_ONE_TIME_CODE,
      'The phone number or one-time code is not correct, or the code has expired.',
      [{ field: 'oneTimeCode', message: 'is not correct or has expired' }],
    );
  }

  static lastRole(): IdentityError {
    return new IdentityError(
      'conflict',
      IdentityErrorCode.LAST_ROLE,
      'This account is only a volunteer’s: without the role it could do nothing, so the account is closed instead (POST /me/close, or an administrator).',
    );
  }

  static invalidIdCard(reason: 'FORMAT' | 'CHECK_DIGIT' | 'BIRTH_DATE'): IdentityError {
    const message = {
      FORMAT: 'must be 18 characters: 17 digits and a final digit or X',
      CHECK_DIGIT: 'is not a valid ID-card number (the check digit does not match)',
      BIRTH_DATE: 'holds a birth date that is not possible',
    }[reason];
    return new IdentityError('validation', IdentityErrorCode.INVALID_ID_CARD_NUMBER, `The ID-card number ${message}.`, [{ field: 'idCardNumber', message }]);
  }
}
