/**
 * The rules of a "when" question, as the API applies them (docs/time-bank.md, Rules): a booking
 * or a request is for a time to come, at most a year ahead; a service given is logged once it has
 * started. Times are the district's (UTC+8); a time may be up to `CLOCK_TOLERANCE_MS` on the wrong
 * side of now. Pure, so the pages and their tests share it.
 */
export type WhenRule = 'ahead' | 'past';

/** How far a time may be on the wrong side of now (a form filled in slowly, a clock a little off). */
export const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;

const DISTRICT_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The district's calendar day at `nowMs`, as YYYY-MM-DD. */
export function districtDay(nowMs: number): string {
  return new Date(nowMs + DISTRICT_OFFSET_MS).toISOString().slice(0, 10);
}

/** What is wrong with the day `date` (a real YYYY-MM-DD), or null. */
export function dayProblem(rule: WhenRule, date: string, nowMs: number): 'dateNotPast' | 'dateWithinYear' | 'dateNotFuture' | null {
  const today = districtDay(nowMs);
  if (rule === 'past') return date > today ? 'dateNotFuture' : null;
  if (date < today) return 'dateNotPast';
  return date > `${Number(today.slice(0, 4)) + 1}${today.slice(4)}` ? 'dateWithinYear' : null;
}

/** What is wrong with the time `time` (HH:MM) on `date`, or null; only today's times can be, so a wrong day is named once. */
export function clockProblem(rule: WhenRule, date: string, time: string, nowMs: number): 'timeNotPast' | 'timeNotFuture' | null {
  if (date !== districtDay(nowMs)) return null;
  const at = Date.parse(`${date}T${time}:00+08:00`);
  if (Number.isNaN(at)) return null;
  if (rule === 'past') return at > nowMs + CLOCK_TOLERANCE_MS ? 'timeNotFuture' : null;
  return at < nowMs - CLOCK_TOLERANCE_MS ? 'timeNotPast' : null;
}
