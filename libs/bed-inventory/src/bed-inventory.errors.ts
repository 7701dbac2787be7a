import { DomainError, type ErrorKind, type FieldProblem } from '@app/platform';

/** Stable codes of the bed-inventory domain (docs/api.md, "Facilities, beds, residents"). */
export enum BedInventoryErrorCode {
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  BED_NOT_AVAILABLE = 'BED_NOT_AVAILABLE',
  RESIDENT_ALREADY_ADMITTED = 'RESIDENT_ALREADY_ADMITTED',
  DUPLICATE_BED_CODE = 'DUPLICATE_BED_CODE',
  DUPLICATE_FACILITY = 'DUPLICATE_FACILITY',
  RESIDENT_ALREADY_REGISTERED = 'RESIDENT_ALREADY_REGISTERED',
  RESIDENT_ALREADY_HELD = 'RESIDENT_ALREADY_HELD',
  ALREADY_ON_WAITLIST = 'ALREADY_ON_WAITLIST',
  INVALID_ID_CARD_NUMBER = 'INVALID_ID_CARD_NUMBER',
  NO_BEDS_IN_CARE_CENTRE = 'NO_BEDS_IN_CARE_CENTRE',
  WAITLIST_ENTRY_CLOSED = 'WAITLIST_ENTRY_CLOSED',
}

/** Errors the bed-inventory library throws on purpose; the HTTP filter picks the status. */
export class BedInventoryError extends DomainError {
  constructor(kind: ErrorKind, code: BedInventoryErrorCode, detail: string, errors?: FieldProblem[]) {
    super(kind, code, detail, errors);
  }

  static illegalTransition(action: string, from: string): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.ILLEGAL_TRANSITION, `A bed that is ${from} cannot be given the action "${action}".`);
  }

  static bedNotAvailable(): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.BED_NOT_AVAILABLE, 'This bed is already taken or held for someone else.');
  }

  static residentAlreadyAdmitted(): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.RESIDENT_ALREADY_ADMITTED, 'This resident already has a bed.');
  }

  static residentAlreadyHeld(): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.RESIDENT_ALREADY_HELD, 'A bed is already held for this resident.');
  }

  static duplicateBedCode(): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.DUPLICATE_BED_CODE, 'A bed with this code already exists in the facility.');
  }

  static duplicateFacility(): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.DUPLICATE_FACILITY, 'A facility of this kind with this name already exists.');
  }

  static residentAlreadyRegistered(): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.RESIDENT_ALREADY_REGISTERED, 'A resident with this ID-card number is already registered.');
  }

  static alreadyOnWaitlist(): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.ALREADY_ON_WAITLIST, 'This resident is already on the waiting list of this facility.');
  }

  static waitlistEntryClosed(status: string): BedInventoryError {
    return new BedInventoryError('conflict', BedInventoryErrorCode.WAITLIST_ENTRY_CLOSED, `This waiting-list entry is no longer on the list (${status}).`);
  }

  static noBedsInCareCentre(): BedInventoryError {
    return new BedInventoryError('unprocessable', BedInventoryErrorCode.NO_BEDS_IN_CARE_CENTRE, 'Day-care centres have no residential beds.');
  }

  static invalidIdCard(reason: string): BedInventoryError {
    const message = `is not a valid resident ID number (${reason.toLowerCase().replace(/_/g, ' ')})`;
    return new BedInventoryError('validation', BedInventoryErrorCode.INVALID_ID_CARD_NUMBER, `The ID-card number ${message}.`, [
      { field: 'idCardNumber', message },
    ]);
  }
}
