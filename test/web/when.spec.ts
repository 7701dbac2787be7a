import { clockProblem, dayProblem, districtDay } from '../../apps/web/src/when';

// 2026-12-05 14:30 in the district (06:30 UTC).
const NOW = Date.parse('2026-12-05T14:30:00+08:00');

describe('when questions', () => {
  it('reads the day in the district, not in UTC', () => {
    expect(districtDay(Date.parse('2026-12-05T23:30:00Z'))).toBe('2026-12-06');
    expect(districtDay(NOW)).toBe('2026-12-05');
  });

  it('asks a booking for today or a later day within a year, and a logged service for today or earlier', () => {
    expect(dayProblem('ahead', '2026-12-04', NOW)).toBe('dateNotPast');
    expect(dayProblem('ahead', '2026-12-05', NOW)).toBeNull();
    expect(dayProblem('ahead', '2027-12-05', NOW)).toBeNull();
    expect(dayProblem('ahead', '2027-12-06', NOW)).toBe('dateWithinYear');
    expect(dayProblem('past', '2026-12-06', NOW)).toBe('dateNotFuture');
    expect(dayProblem('past', '2026-12-05', NOW)).toBeNull();
    expect(dayProblem('past', '2025-01-01', NOW)).toBeNull();
  });

  it('checks the time of day only for today, with the API’s ten minutes either way', () => {
    expect(clockProblem('ahead', '2026-12-05', '14:00', NOW)).toBe('timeNotPast');
    expect(clockProblem('ahead', '2026-12-05', '14:25', NOW)).toBeNull();
    expect(clockProblem('ahead', '2026-12-05', '15:00', NOW)).toBeNull();
    expect(clockProblem('ahead', '2026-12-06', '09:00', NOW)).toBeNull();
    expect(clockProblem('past', '2026-12-05', '15:00', NOW)).toBe('timeNotFuture');
    expect(clockProblem('past', '2026-12-05', '14:35', NOW)).toBeNull();
    expect(clockProblem('past', '2026-12-05', '09:00', NOW)).toBeNull();
    // A day already wrong is named by the day's question, not again here.
    expect(clockProblem('ahead', '2026-12-04', '09:00', NOW)).toBeNull();
  });
});
