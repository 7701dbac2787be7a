import { isCalendarDay } from '../../apps/web/src/validation';

describe('isCalendarDay', () => {
  it('takes real days written YYYY-MM-DD, leap days included', () => {
    for (const day of ['2026-02-28', '2028-02-29', '2026-12-31', '2026-01-01']) expect(isCalendarDay(day)).toBe(true);
  });

  it('refuses days that do not exist and other spellings', () => {
    for (const day of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-5', '2026/01/05', '', '20260105']) {
      expect(isCalendarDay(day)).toBe(false);
    }
  });
});
