/** The most rows one run of a time-bank sweep source (closing, reminding) takes; a backlog takes a run a minute. */
export const SWEEP_BATCH = 500;

/** How long after its time a booking still held is brought up to the staff who give it (`BOOKING_UNSETTLED`). */
export const BOOKING_SETTLE_REMINDER_HOURS = 24;

/**
 * How a confirmed service's minutes are split: what fits under the storage cap goes to the
 * volunteer, the rest to the community pool. An account already above the cap (after a gift or a
 * reversal) keeps its minutes and receives nothing more.
 */
export function splitEarning(balanceMinutes: number, capMinutes: number, earnedMinutes: number): { creditedMinutes: number; pooledMinutes: number } {
  const room = Math.max(0, capMinutes - balanceMinutes);
  const creditedMinutes = Math.min(room, earnedMinutes);
  return { creditedMinutes, pooledMinutes: earnedMinutes - creditedMinutes };
}

/** Whether a gift of `minutes` keeps the giver within the yearly limit, given what was given this year. */
export function withinGiftLimit(givenThisYearMinutes: number, minutes: number, limitMinutes: number): boolean {
  return givenThisYearMinutes + minutes <= limitMinutes;
}
