/** Proves the GB 11643 rules: check character, birth-date plausibility, masking and age. */
import { ageOn, makeResidentId, maskResidentId, parseResidentId, residentIdCheckCharacter } from './resident-id';

describe('resident ID numbers', () => {
  it('computes the ISO 7064 MOD 11-2 check character of the standard example', () => {
    // The example number printed in GB 11643-1999: 11010519491231002X.
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(parseResidentId('11010519491231002X')).toEqual({ normalized: '11010519491231002X', birthDate: '1949-12-31' });
    expect(parseResidentId('11010519491231002x')).toEqual({ normalized: '11010519491231002X', birthDate: '1949-12-31' });
  });

  it('refuses a wrong check character, a bad format and impossible birth dates', () => {
    expect(parseResidentId('110105194912310021')).toBe('CHECK_DIGIT');
    expect(parseResidentId('11010519491231002')).toBe('FORMAT');
    expect(parseResidentId('01010519491231002X')).toBe('FORMAT');
    expect(parseResidentId('1101051949123100AX')).toBe('FORMAT');
    const feb30 = makeResidentId('330104', '1950-02-30', 1);
    expect(parseResidentId(feb30)).toBe('BIRTH_DATE');
    expect(parseResidentId(makeResidentId('330104', '2099-01-01', 1), new Date('2026-11-29'))).toBe('BIRTH_DATE');
    expect(parseResidentId(makeResidentId('330104', '1880-01-01', 1), new Date('2026-11-29'))).toBe('BIRTH_DATE');
  });

  it('masks all but the region and the last four characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });

  it('counts whole years, turning a year older on the birthday', () => {
    expect(ageOn('1966-11-29', new Date('2026-11-28T12:00:00Z'))).toBe(59);
    expect(ageOn('1966-11-29', new Date('2026-11-29T12:00:00Z'))).toBe(60);
  });
});
