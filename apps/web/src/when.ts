/**
 * The district's times, and the rules of a "when" question as the API applies them
 * (docs/time-bank.md, Rules): a booking or a request is for a time to come, at most a year ahead;
 * a service given is logged once it has started. A time may be up to `CLOCK_TOLERANCE_MS` on the
 * wrong side of now. Pure (today and now are passed in), so the pages and their tests share it.
 */
export type WhenRule = 'ahead' | 'past';

/** How far a time may be on the wrong side of now (a form filled in slowly, a clock a little off). */
export const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;

/** A date and clock time typed in the district's zone, as an ISO time with its offset. */
export function zonedIso(date: string, time: string): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}+08:00`;
}

/** What is wrong with the day `date` (a real YYYY-MM-DD) when the district's day is `today`, or null. */
export function dayProblem(rule: WhenRule, date: string, today: string): 'dateNotPast' | 'dateWithinYear' | 'dateNotFuture' | null {
  if (rule === 'past') return date > today ? 'dateNotFuture' : null;
  if (date < today) return 'dateNotPast';
  return date > `${Number(today.slice(0, 4)) + 1}${today.slice(4)}` ? 'dateWithinYear' : null;
}

/** What is wrong with the time `time` (HH:MM) on `date`, or null; only today's times can be, so a wrong day is named once. */
export function clockProblem(rule: WhenRule, date: string, time: string, today: string, nowMs: number): 'timeNotPast' | 'timeNotFuture' | null {
  if (date !== today) return null;
  const at = Date.parse(zonedIso(date, time));
  if (Number.isNaN(at)) return null;
  if (rule === 'past') return at > nowMs + CLOCK_TOLERANCE_MS ? 'timeNotFuture' : null;
  return at < nowMs - CLOCK_TOLERANCE_MS ? 'timeNotPast' : null;
}
