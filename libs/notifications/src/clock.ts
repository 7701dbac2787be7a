import { Injectable } from '@nestjs/common';

/**
 * The time as the notification rules see it (quiet hours, the daily cap, retries, leases). The
 * system clock unless a test sets another "now"; nothing else in delivery reads `Date.now()`.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Makes "now" the given instant from here on (the clock keeps running). */
  set(now: Date): void {
    this.offsetMs = now.getTime() - Date.now();
  }

  /** Back to the system clock. */
  reset(): void {
    this.offsetMs = 0;
  }
}
