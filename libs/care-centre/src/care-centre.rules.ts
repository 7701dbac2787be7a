import { CONTRACT_WARNING_DAYS, DISTRICT_TIME_ZONE, type OperatorKind } from './care-centre.types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar day (YYYY-MM-DD) in Shanghai at the instant `at`. */
export function districtDay(at: Date): string {
  // en-CA formats as YYYY-MM-DD, which saves assembling the parts by hand.
  return new Intl.DateTimeFormat('en-CA', { timeZone: DISTRICT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Whole days from `from` to `to`, both counted (2026-01-01..2026-01-01 is 1 day). */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** `day` shifted by `days` calendar days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The first and last day (YYYY-MM-DD) of the calendar month that holds `day`. */
export function monthOf(day: string): { first: string; last: string } {
  const [year, month] = day.split('-').map(Number);
  // Day 0 of the next month is the last day of this one.
  const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  return { first: `${day.slice(0, 7)}-01`, last };
}

/**
 * The period of the district figures: `from` and `to` as given, or, with neither, the current
 * month in Shanghai (as the district report does). Null when only one of them is given.
 */
export function kpiPeriod(from: string | undefined, to: string | undefined, today: string): { from: string; to: string } | null {
  if (from !== undefined && to !== undefined) return { from, to };
  if (from !== undefined || to !== undefined) return null;
  const month = monthOf(today);
  return { from: month.first, to: month.last };
}

/** True when a contract ends today or within the warning window after today. */
export function contractEndingSoon(contractEndsOn: string | null, today: string): boolean {
  if (contractEndsOn === null) return false;
  return contractEndsOn >= today && contractEndsOn <= addDays(today, CONTRACT_WARNING_DAYS);
}

/** True when a contract's last day has passed: the operator runs the centre without a contract. */
export function contractExpired(contractEndsOn: string | null, today: string): boolean {
  return contractEndsOn !== null && contractEndsOn < today;
}

/** A share between 0 and 1 rounded to 4 decimals; 0 when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

export interface OperatorFields {
  operatorKind: OperatorKind;
  operatorName: string | null;
  contractEndsOn: string | null;
}

/**
 * What is wrong with a centre's operator fields, or an empty list: a social operator needs a
 * name and a contract end date, and a government centre has neither.
 */
export function operatorProblems(fields: OperatorFields): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (fields.operatorKind === 'SOCIAL_OPERATOR') {
    if (fields.operatorName === null || fields.operatorName.trim() === '')
      problems.push({ field: 'operatorName', message: 'is required for a social operator' });
    if (fields.contractEndsOn === null) problems.push({ field: 'contractEndsOn', message: 'is required for a social operator' });
  } else {
    if (fields.operatorName !== null) problems.push({ field: 'operatorName', message: 'is only for a social operator' });
    if (fields.contractEndsOn !== null) problems.push({ field: 'contractEndsOn', message: 'is only for a social operator' });
  }
  return problems;
}
