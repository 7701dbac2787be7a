/**
 * The district's times, and the rules of a "when" question as the API applies them
 * (docs/time-bank.md, Rules): a booking or a request is for a time to come, at most a year ahead;
 * a service given is logged once it has started, and at most `RECORD_WINDOW_DAYS` after. A time
 * may be up to `CLOCK_TOLERANCE_MS` on the wrong side of now. Pure (today and now are passed in),
 * so the pages and their tests share it. The API checks the same again; these only say it in
 * words on the question's own page, before anything is sent.
 */
export type WhenRule = 'ahead' | 'past';

/** How far a time may be on the wrong side of now (a form filled in slowly, a clock a little off). */
export const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;

/** How many days after it started a service may still be logged (`SERVICE_RECORD_WINDOW_DAYS` in the API). */
const RECORD_WINDOW_DAYS = 30;

/** A day, in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The day (YYYY-MM-DD) `days` days before `day`. */
function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `value` is a real calendar day written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A date and clock time typed in the district's zone, as an ISO time with its offset. */
export function zonedIso(date: string, time: string): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}+08:00`;
}

/** An instant as the day (YYYY-MM-DD) and clock time (HH:MM) it is in the district's zone: what `zonedIso` reads back. */
export function zonedParts(iso: string): { date: string; time: string } {
  const shifted = new Date(Date.parse(iso) + 8 * 60 * 60 * 1000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** What is wrong with the day `date` (a real YYYY-MM-DD) when the district's day is `today`, or null. */
export function dayProblem(rule: WhenRule, date: string, today: string): 'dateNotPast' | 'dateWithinYear' | 'dateNotFuture' | 'dateWithinWindow' | null {
  if (rule === 'past') {
    if (date > today) return 'dateNotFuture';
    return date < daysBefore(today, RECORD_WINDOW_DAYS) ? 'dateWithinWindow' : null;
  }
  if (date < today) return 'dateNotPast';
  return date > `${Number(today.slice(0, 4)) + 1}${today.slice(4)}` ? 'dateWithinYear' : null;
}

/**
 * What is wrong with the time `time` (HH:MM) on `date`, or null. Only the times of a day at the
 * edge of what the day's question allows can be (today; for a service logged, also the first day
 * of its window), so a wrong day is named once.
 */
export function clockProblem(
  rule: WhenRule,
  date: string,
  time: string,
  today: string,
  nowMs: number,
): 'timeNotPast' | 'timeNotFuture' | 'timeWithinWindow' | null {
  const at = Date.parse(zonedIso(date, time));
  if (Number.isNaN(at)) return null;
  if (rule === 'ahead') return date === today && at < nowMs - CLOCK_TOLERANCE_MS ? 'timeNotPast' : null;
  if (date === today) return at > nowMs + CLOCK_TOLERANCE_MS ? 'timeNotFuture' : null;
  return date === daysBefore(today, RECORD_WINDOW_DAYS) && at < nowMs - RECORD_WINDOW_DAYS * DAY_MS ? 'timeWithinWindow' : null;
}

/**
 * The statements a holder can download from the account page, as whole Shanghai days: this month
 * and last month (whole months, as the API's default is), and this calendar year.
 */
export function statementPeriods(
  today: string,
): { label: 'export.statement' | 'export.statementLastMonth' | 'export.statementYear'; from: string; to: string }[] {
  const [year, month] = today.split('-').map(Number);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const lastDay = (y: number, m: number): string => `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
  const [prevYear, prevMonth] = month === 1 ? [year - 1, 12] : [year, month - 1];
  return [
    { label: 'export.statement', from: `${year}-${pad(month)}-01`, to: lastDay(year, month) },
    { label: 'export.statementLastMonth', from: `${prevYear}-${pad(prevMonth)}-01`, to: lastDay(prevYear, prevMonth) },
    { label: 'export.statementYear', from: `${year}-01-01`, to: `${year}-12-31` },
  ];
}
