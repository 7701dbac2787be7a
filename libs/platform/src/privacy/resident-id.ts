/**
 * Rules for the 18-digit resident identity number of GB 11643-1999: six digits of region,
 * eight of birth date (YYYYMMDD), three of sequence, and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

export type ResidentIdProblem = 'FORMAT' | 'CHECK_DIGIT' | 'BIRTH_DATE';

export interface ResidentIdInfo {
  /** Upper-case normalised number (a trailing `x` becomes `X`). */
  normalized: string;
  /** Birth date as `YYYY-MM-DD`. */
  birthDate: string;
}

export function normalizeResidentId(value: string): string {
  return value.trim().toUpperCase();
}

export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Checks format, check character and birth date (a real date, not in the future, at most 130
 * years ago). Returns the problem, or the parsed information.
 */
export function parseResidentId(value: string, today: Date = new Date()): ResidentIdInfo | ResidentIdProblem {
  const normalized = normalizeResidentId(value);
  if (!/^[1-9]\d{16}[\dX]$/.test(normalized)) return 'FORMAT';
  if (residentIdCheckCharacter(normalized.slice(0, 17)) !== normalized[17]) return 'CHECK_DIGIT';
  const year = Number(normalized.slice(6, 10));
  const month = Number(normalized.slice(10, 12));
  const day = Number(normalized.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (!real || date.getTime() > todayUtc || year < today.getUTCFullYear() - 130) return 'BIRTH_DATE';
  return { normalized, birthDate: normalized.slice(6, 10) + '-' + normalized.slice(10, 12) + '-' + normalized.slice(12, 14) };
}

/** `330104********1234`: region kept, birth date and sequence hidden. */
export function maskResidentId(value: string): string {
  const normalized = normalizeResidentId(value);
  if (normalized.length < 10) return '*'.repeat(normalized.length);
  return normalized.slice(0, 6) + '*'.repeat(normalized.length - 10) + normalized.slice(-4);
}

/** Whole years between a `YYYY-MM-DD` birth date and `on`. */
export function ageOn(birthDate: string, on: Date = new Date()): number {
  const [year, month, day] = birthDate.split('-').map(Number);
  let age = on.getUTCFullYear() - year;
  const beforeBirthday = on.getUTCMonth() + 1 < month || (on.getUTCMonth() + 1 === month && on.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}

/** Builds a valid number from region, birth date and sequence; used by demo data and tests. */
export function makeResidentId(region: string, birthDate: string, sequence: number): string {
  const first17 = region + birthDate.replace(/-/g, '') + String(sequence % 1000).padStart(3, '0');
  return first17 + residentIdCheckCharacter(first17);
}
