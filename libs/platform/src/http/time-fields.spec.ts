import { isCalendarDate, isInstant } from './time-fields';

describe('times in requests', () => {
  it('takes an instant only with its zone, and only one that new Date() reads as written', () => {
    for (const good of [
      '2026-12-20T09:00:00+08:00',
      '2026-12-20T09:00+08:00',
      '2026-12-20T09:00:00+0800',
      '2026-12-20T01:00:00Z',
      '2026-12-20T01:00:00.5Z',
      '2026-12-20T01:00:00.123456789Z',
      '2024-02-29T23:59:59-12:00',
      '2026-12-20T09:00:00+14:00',
    ]) {
      expect([good, isInstant(good)]).toEqual([good, true]);
      expect(Number.isFinite(Date.parse(good))).toBe(true);
    }
    for (const bad of [
      '2026-W52-3',
      '2026-360',
      '2026-12-20T09',
      '2026-12-20T09+08:00',
      '2026-12-20',
      '2026-12-20T09:00:00',
      '2026-12-20t09:00:00z',
      '2026-12-20 09:00:00+08:00',
      '2026-02-30T09:00:00Z',
      '2025-02-29T09:00:00Z',
      '2026-04-31T09:00:00Z',
      '2026-13-01T09:00:00Z',
      '2026-00-10T09:00:00Z',
      '2026-12-00T09:00:00Z',
      '2026-12-20T24:00:00Z',
      '2026-12-20T09:60:00Z',
      '2026-12-20T09:00:60Z',
      '2026-12-20T09:00:00+15:00',
      '2026-12-20T09:00:00+08:60',
      '2026-12-20T09:00:00.1234567890Z',
      '0000-12-20T09:00:00Z',
      '+002026-12-20T09:00:00Z',
      ' 2026-12-20T09:00:00Z',
      '',
      20261220,
      null,
      new Date(),
    ]) {
      expect([bad, isInstant(bad)]).toEqual([bad, false]);
    }
  });

  it('takes a day only when it is a YYYY-MM-DD that exists', () => {
    for (const good of ['2026-12-20', '2024-02-29', '2000-02-29', '0001-01-01', '2026-12-31']) expect([good, isCalendarDate(good)]).toEqual([good, true]);
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-00-01',
      '2026-01-00',
      '2026-W52-3',
      '2026-360',
      '20261220',
      '2026-12-20T00:00:00Z',
      '0000-01-01',
      20261220,
      null,
    ]) {
      expect([bad, isCalendarDate(bad)]).toEqual([bad, false]);
    }
  });
});
