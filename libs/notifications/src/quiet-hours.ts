/** By default no non-urgent text message is sent from 21:00 to 08:00, Shanghai time (UTC+8 all year). */
export interface QuietHours {
  fromHour: number;
  untilHour: number;
}
export const DEFAULT_QUIET_HOURS: QuietHours = { fromHour: 21, untilHour: 8 };
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Shanghai calendar day of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether the instant falls in quiet hours (none when both hours are equal). */
export function inQuietHours(at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  if (quiet.fromHour === quiet.untilHour) return false;
  const hour = new Date(at.getTime() + SHANGHAI_OFFSET_MS).getUTCHours();
  return quiet.fromHour > quiet.untilHour ? hour >= quiet.fromHour || hour < quiet.untilHour : hour >= quiet.fromHour && hour < quiet.untilHour;
}

/** The next end of quiet hours (08:00 Shanghai time by default) after the instant. */
export function endOfQuietHours(at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  let end = midnight + quiet.untilHour * 60 * 60 * 1000;
  if (end <= local) end += DAY_MS;
  return new Date(end - SHANGHAI_OFFSET_MS);
}

/** Delay before attempt `attempts + 1` after a provider asked to retry: base × 2^(attempts−1), at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}
