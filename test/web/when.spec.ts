import { clockProblem, dayProblem, isCalendarDay, statementPeriods, zonedIso } from '../../apps/web/src/when';

// 2026-12-05 14:30 in the district (06:30 UTC).
const TODAY = '2026-12-05';
const NOW = Date.parse('2026-12-05T14:30:00+08:00');

describe('when questions', () => {
  it('reads a typed day and time in the district, not in UTC', () => {
    expect(zonedIso('2026-12-06', '07:30')).toBe('2026-12-06T07:30:00+08:00');
    expect(Date.parse(zonedIso('2026-12-06', '07:30'))).toBe(Date.parse('2026-12-05T23:30:00Z'));
  });

  it('asks a booking for today or a later day within a year, and a logged service for today or one of the 30 days before', () => {
    expect(dayProblem('ahead', '2026-12-04', TODAY)).toBe('dateNotPast');
    expect(dayProblem('ahead', '2026-12-05', TODAY)).toBeNull();
    expect(dayProblem('ahead', '2027-12-05', TODAY)).toBeNull();
    expect(dayProblem('ahead', '2027-12-06', TODAY)).toBe('dateWithinYear');
    expect(dayProblem('past', '2026-12-06', TODAY)).toBe('dateNotFuture');
    expect(dayProblem('past', '2026-12-05', TODAY)).toBeNull();
    expect(dayProblem('past', '2026-11-05', TODAY)).toBeNull();
    expect(dayProblem('past', '2026-11-04', TODAY)).toBe('dateWithinWindow');
    expect(dayProblem('past', '2025-01-01', TODAY)).toBe('dateWithinWindow');
  });

  it('checks the time of day only on a day at the edge: today, with the API’s ten minutes either way, and a logged service’s 30th day back', () => {
    expect(clockProblem('ahead', '2026-12-05', '14:00', TODAY, NOW)).toBe('timeNotPast');
    expect(clockProblem('ahead', '2026-12-05', '14:25', TODAY, NOW)).toBeNull();
    expect(clockProblem('ahead', '2026-12-05', '15:00', TODAY, NOW)).toBeNull();
    expect(clockProblem('ahead', '2026-12-06', '09:00', TODAY, NOW)).toBeNull();
    expect(clockProblem('past', '2026-12-05', '15:00', TODAY, NOW)).toBe('timeNotFuture');
    expect(clockProblem('past', '2026-12-05', '14:35', TODAY, NOW)).toBeNull();
    expect(clockProblem('past', '2026-12-05', '09:00', TODAY, NOW)).toBeNull();
    expect(clockProblem('past', '2026-11-05', '14:29', TODAY, NOW)).toBe('timeWithinWindow');
    expect(clockProblem('past', '2026-11-05', '14:31', TODAY, NOW)).toBeNull();
    expect(clockProblem('past', '2026-11-06', '09:00', TODAY, NOW)).toBeNull();
    // A day already wrong is named by the day's question, not again here.
    expect(clockProblem('ahead', '2026-12-04', '09:00', TODAY, NOW)).toBeNull();
    expect(clockProblem('past', '2026-12-06', '23:00', TODAY, NOW)).toBeNull();
    expect(clockProblem('past', '2026-11-04', '09:00', TODAY, NOW)).toBeNull();
  });
});

describe('isCalendarDay', () => {
  it('takes real days written YYYY-MM-DD, leap days included', () => {
    for (const day of ['2026-02-28', '2028-02-29', '2026-12-31', '2026-01-01']) expect(isCalendarDay(day)).toBe(true);
  });

  it('refuses days that do not exist and other spellings', () => {
    for (const day of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-5', '2026/01/05', '', '20260105']) {
      expect(isCalendarDay(day)).toBe(false);
    }
  });

  it('offers statements of this month, last month and this year as whole days, across a new year', () => {
    expect(statementPeriods('2026-12-05').map(({ from, to }) => [from, to])).toEqual([
      ['2026-12-01', '2026-12-31'],
      ['2026-11-01', '2026-11-30'],
      ['2026-01-01', '2026-12-31'],
    ]);
    expect(statementPeriods('2028-01-15').map(({ from, to }) => [from, to])).toEqual([
      ['2028-01-01', '2028-01-31'],
      ['2027-12-01', '2027-12-31'],
      ['2028-01-01', '2028-12-31'],
    ]);
    expect(statementPeriods('2028-03-01')[1]).toMatchObject({ from: '2028-02-01', to: '2028-02-29' });
  });
});
