/** No non-urgent text message is sent from 21:00 to 08:00, Shanghai time (UTC+8 all year). */
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 8;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Shanghai calendar day of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether the instant falls in quiet hours. */
export function inQuietHours(at: Date): boolean {
  const hour = new Date(at.getTime() + SHANGHAI_OFFSET_MS).getUTCHours();
  return hour >= QUIET_FROM_HOUR || hour < QUIET_UNTIL_HOUR;
}

/** The next 08:00 Shanghai time after the instant (the end of the quiet hours it falls in). */
export function endOfQuietHours(at: Date): Date {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  let end = midnight + QUIET_UNTIL_HOUR * 60 * 60 * 1000;
  if (end <= local) end += DAY_MS;
  return new Date(end - SHANGHAI_OFFSET_MS);
}

/** Delay before attempt `attempts + 1` after a provider asked to retry: base × 2^(attempts−1), at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}
