import { t } from './i18n';
import { isCalendarDay } from './when';

/** GB 11643 check digit, so a mistyped ID number is caught before anything is sent. */
export function idNumberProblem(value: string): string | null {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return t('register.idFormat');
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(id[index]), 0);
  if ('10X98765432'[sum % 11] !== id[17]) return t('register.idCheck');
  if (!birthDateOfId(id)) return t('register.idFormat');
  return null;
}

/** The birth date an ID number carries (digits 7–14), as YYYY-MM-DD. */
export function birthDateOfId(value: string): string | null {
  const match = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1890) return null;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

export function phoneProblem(value: string): string | null {
  return /^1[3-9]\d{9}$/.test(value.replace(/[\s-]/g, '')) ? null : t('register.phoneFormat');
}

export function cleanPhone(value: string): string {
  return value.replace(/[\s-]/g, '');
}

export function uuidProblem(value: string): string | null {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim()) ? null : t('form.uuidFormat');
}

export function wholeNumberProblem(min: number, max: number): (value: string) => string | null {
  return (value) => {
    if (!/^\d+$/.test(value.trim())) return t('form.wholeNumber');
    const n = Number(value);
    return n < min || n > max ? t('form.range', { min, max }) : null;
  };
}

/** A name, title or place the API keeps to `max` characters. */
export function tooLongProblem(max: number): (value: string) => string | null {
  return (value) => (value.length > max ? t('form.tooLong', { max }) : null);
}

/** A password someone chooses: 8 to 72 characters, as the API takes. */
export function passwordProblem(value: string): string | null {
  return value.length < 8 ? t('register.passwordShort') : tooLongProblem(72)(value);
}

export function dateProblem(value: string): string | null {
  return isCalendarDay(value) ? null : t('form.dateFormat');
}

export function timeProblem(value: string): string | null {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? null : t('form.timeFormat');
}

/** A service card number: 10 digits, the last a Luhn check digit. */
export function isCardNumber(value: string): boolean {
  const card = value.replace(/[\s-]/g, '');
  if (!/^[1-9]\d{9}$/.test(card)) return false;
  let sum = 0;
  for (let i = 0; i < card.length; i += 1) {
    let digit = Number(card[card.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A phone number or a service card number (the person a gift or a service is for). */
export function phoneOrCardProblem(value: string): string | null {
  const clean = value.replace(/[\s-]/g, '');
  return /^1[3-9]\d{9}$/.test(clean) || isCardNumber(clean) ? null : t('person.phoneOrCardFormat');
}

/** A service card number or an ID number (checking a senior in). */
export function cardOrIdProblem(value: string): string | null {
  const clean = value.replace(/[\s-]/g, '');
  if (isCardNumber(clean)) return null;
  if (/^\d{17}[\dXx]$/.test(clean)) return idNumberProblem(clean);
  return t('person.cardOrIdFormat');
}

/** The body field naming a senior by card number or ID number. */
export function seniorReference(value: string): { cardNumber: string } | { idCardNumber: string } {
  const clean = value.replace(/[\s-]/g, '');
  return isCardNumber(clean) ? { cardNumber: clean } : { idCardNumber: clean.toUpperCase() };
}
