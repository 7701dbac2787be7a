import { randomInt } from 'node:crypto';

/** The Luhn check digit of a string of digits (the digit that makes the whole pass Luhn's test). */
export function cardCheckDigit(digits: string): string {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    // Counting from the right of the final number, every second digit (starting next to the check digit) is doubled.
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Whether the text is a service card number: 10 digits, not starting with 0, the last a Luhn check digit. */
export function isCardNumber(value: string): boolean {
  return /^[1-9]\d{9}$/.test(value) && cardCheckDigit(value.slice(0, 9)) === value[9];
}

/** A new random card number (uniqueness is the database's to enforce). */
export function newCardNumber(): string {
  const body = String(randomInt(100_000_000, 1_000_000_000));
  return body + cardCheckDigit(body);
}

/** `1234 5678 90`, easier to read aloud at a counter. */
export function groupCardNumber(cardNumber: string): string {
  return `${cardNumber.slice(0, 4)} ${cardNumber.slice(4, 8)} ${cardNumber.slice(8)}`;
}

/** `138****0000`. */
export function maskPhone(phone: string | null): string | null {
  return phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null;
}

export type PeopleQuery =
  { kind: 'phone'; value: string } | { kind: 'idCard'; value: string } | { kind: 'card'; value: string } | { kind: 'name'; value: string } | { kind: 'none' };

/**
 * What a search text is. Only whole numbers are looked up: a part of a phone, ID or card number
 * finds nothing, so the search cannot be used to enumerate people by their numbers.
 */
export function classifyPeopleQuery(raw: string): PeopleQuery {
  const q = raw.replace(/[\s-]/g, '');
  if (/^1[3-9]\d{9}$/.test(q)) return { kind: 'phone', value: q };
  if (/^\d{17}[\dXx]$/.test(q)) return { kind: 'idCard', value: q.toUpperCase() };
  if (/^\d{10}$/.test(q)) return isCardNumber(q) ? { kind: 'card', value: q } : { kind: 'none' };
  const name = raw.trim();
  if (/[\d*]/.test(name) || [...name].length < 2) return { kind: 'none' };
  return { kind: 'name', value: name };
}
