/** Proves the service card number's check digit, and that a people search looks up only whole numbers. */
import { cardCheckDigit, classifyPeopleQuery, isCardNumber, newCardNumber } from './service-card';

describe('service card numbers', () => {
  it('computes the Luhn check digit of known numbers', () => {
    expect(cardCheckDigit('7992739871')).toBe('3');
    expect(isCardNumber('1234567897')).toBe(cardCheckDigit('123456789') === '7');
  });

  it('makes numbers that pass and refuses any single changed digit', () => {
    for (let n = 0; n < 50; n += 1) {
      const card = newCardNumber();
      expect(isCardNumber(card)).toBe(true);
      const changed = card.slice(0, 4) + String((Number(card[4]) + 1) % 10) + card.slice(5);
      expect(isCardNumber(changed)).toBe(false);
    }
  });
});

describe('people search queries', () => {
  it('recognises a phone, an ID number, a card number and a name', () => {
    const card = newCardNumber();
    expect(classifyPeopleQuery('138 0000 1111')).toEqual({ kind: 'phone', value: '13800001111' });
    expect(classifyPeopleQuery('33010419520315123x')).toEqual({ kind: 'idCard', value: '33010419520315123X' });
    expect(classifyPeopleQuery(card)).toEqual({ kind: 'card', value: card });
    expect(classifyPeopleQuery(' 秀英 ')).toEqual({ kind: 'name', value: '秀英' });
  });

  it('finds nothing for a part of a number, a wrong check digit or one character', () => {
    for (const q of ['330104', '3301041952', '1380000', '33010419520315', '王', '王1', '**']) {
      expect(classifyPeopleQuery(q)).toEqual({ kind: 'none' });
    }
    const card = newCardNumber();
    const wrong = card.slice(0, 9) + String((Number(card[9]) + 1) % 10);
    expect(classifyPeopleQuery(wrong)).toEqual({ kind: 'none' });
  });
});
