/** Proves the quiet-hours rule (21:00–08:00 Shanghai), the end of a quiet period, the Shanghai day and the retry delays. */
import { endOfQuietHours, inQuietHours, retryDelayMs, shanghaiDay } from './quiet-hours';

describe('quiet hours', () => {
  it('are 21:00 up to 08:00 in Shanghai, whatever the UTC date', () => {
    expect(inQuietHours(new Date('2026-12-03T12:59:59Z'))).toBe(false); // 20:59:59
    expect(inQuietHours(new Date('2026-12-03T13:00:00Z'))).toBe(true); // 21:00
    expect(inQuietHours(new Date('2026-12-03T16:30:00Z'))).toBe(true); // 00:30 next day
    expect(inQuietHours(new Date('2026-12-03T23:59:59Z'))).toBe(true); // 07:59:59
    expect(inQuietHours(new Date('2026-12-04T00:00:00Z'))).toBe(false); // 08:00
  });

  it('can be moved or turned off (equal hours)', () => {
    expect(inQuietHours(new Date('2026-12-03T16:30:00Z'), { fromHour: 0, untilHour: 0 })).toBe(false);
    expect(inQuietHours(new Date('2026-12-03T05:30:00Z'), { fromHour: 13, untilHour: 14 })).toBe(true); // 13:30
    expect(inQuietHours(new Date('2026-12-03T06:00:00Z'), { fromHour: 13, untilHour: 14 })).toBe(false); // 14:00
  });

  it('end at the next 08:00 Shanghai time', () => {
    expect(endOfQuietHours(new Date('2026-12-03T13:00:00Z')).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(endOfQuietHours(new Date('2026-12-03T17:00:00Z')).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(endOfQuietHours(new Date('2026-12-04T00:00:00Z')).toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });

  it('count days in Shanghai', () => {
    expect(shanghaiDay(new Date('2026-12-03T15:59:59Z'))).toBe('2026-12-03');
    expect(shanghaiDay(new Date('2026-12-03T16:00:00Z'))).toBe('2026-12-04');
  });

  it('retry after a growing, bounded delay', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000)).toBe(60 * 60 * 1000);
  });
});
