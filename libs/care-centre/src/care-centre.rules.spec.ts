/** Proves the pure rules of care centres: district days, period lengths, contract warnings, rates and operator fields. */
import { addDays, contractEndingSoon, contractExpired, daysInclusive, districtDay, kpiPeriod, monthOf, operatorProblems, rate } from './care-centre.rules';

describe('care-centre rules', () => {
  it('takes the calendar day in Shanghai, not in UTC', () => {
    expect(districtDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(districtDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });

  it('counts both ends of a period and crosses month and leap-day boundaries', () => {
    expect(daysInclusive('2026-01-01', '2026-01-01')).toBe(1);
    expect(daysInclusive('2028-02-28', '2028-03-01')).toBe(3);
    expect(daysInclusive('2026-01-01', '2026-12-31')).toBe(365);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('takes the whole current month when the figures are asked without a period, and refuses half a period', () => {
    expect(monthOf('2028-02-15')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
    expect(monthOf('2026-12-31')).toEqual({ first: '2026-12-01', last: '2026-12-31' });
    expect(kpiPeriod(undefined, undefined, '2026-04-30')).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(kpiPeriod('2026-01-05', '2026-02-01', '2026-04-30')).toEqual({ from: '2026-01-05', to: '2026-02-01' });
    expect(kpiPeriod('2026-01-05', undefined, '2026-04-30')).toBeNull();
    expect(kpiPeriod(undefined, '2026-01-05', '2026-04-30')).toBeNull();
  });

  it('warns about a contract ending today up to 60 days ahead, not about past or later ones', () => {
    expect(contractEndingSoon('2026-05-01', '2026-05-01')).toBe(true);
    expect(contractEndingSoon('2026-06-30', '2026-05-01')).toBe(true);
    expect(contractEndingSoon('2026-07-01', '2026-05-01')).toBe(false);
    expect(contractEndingSoon('2026-04-30', '2026-05-01')).toBe(false);
    expect(contractEndingSoon(null, '2026-05-01')).toBe(false);
    expect(contractExpired('2026-04-30', '2026-05-01')).toBe(true);
    expect(contractExpired('2026-05-01', '2026-05-01')).toBe(false);
  });

  it('rounds rates to four decimals and answers 0 for an empty denominator', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(5, 0)).toBe(0);
    expect(rate(4, 4)).toBe(1);
  });

  it('requires the operator name and contract end exactly for social operators', () => {
    expect(operatorProblems({ operatorKind: 'GOVERNMENT', operatorName: null, contractEndsOn: null })).toEqual([]);
    expect(operatorProblems({ operatorKind: 'SOCIAL_OPERATOR', operatorName: '颐乐', contractEndsOn: '2027-01-01' })).toEqual([]);
    expect(operatorProblems({ operatorKind: 'SOCIAL_OPERATOR', operatorName: ' ', contractEndsOn: null }).map((p) => p.field)).toEqual([
      'operatorName',
      'contractEndsOn',
    ]);
    expect(operatorProblems({ operatorKind: 'GOVERNMENT', operatorName: '颐乐', contractEndsOn: null }).map((p) => p.field)).toEqual(['operatorName']);
  });
});
