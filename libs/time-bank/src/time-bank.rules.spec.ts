/** Proves the pure time-bank rules: splitting earnings at the storage cap and the yearly gift limit. */
import { splitEarning, withinGiftLimit } from './time-bank.rules';

describe('splitEarning', () => {
  it('credits everything below the cap', () => {
    expect(splitEarning(0, 600, 90)).toEqual({ creditedMinutes: 90, pooledMinutes: 0 });
  });
  it('credits up to the cap and pools the rest', () => {
    expect(splitEarning(480, 600, 180)).toEqual({ creditedMinutes: 120, pooledMinutes: 60 });
  });
  it('credits exactly to the cap', () => {
    expect(splitEarning(510, 600, 90)).toEqual({ creditedMinutes: 90, pooledMinutes: 0 });
  });
  it('pools everything at or above the cap', () => {
    expect(splitEarning(600, 600, 30)).toEqual({ creditedMinutes: 0, pooledMinutes: 30 });
    expect(splitEarning(700, 600, 30)).toEqual({ creditedMinutes: 0, pooledMinutes: 30 });
  });
  it('never invents or loses a minute', () => {
    for (const balance of [0, 1, 599, 600, 601]) {
      for (const earned of [15, 60, 480]) {
        const { creditedMinutes, pooledMinutes } = splitEarning(balance, 600, earned);
        expect(creditedMinutes + pooledMinutes).toBe(earned);
        expect(creditedMinutes).toBeGreaterThanOrEqual(0);
        expect(balance + creditedMinutes <= Math.max(600, balance)).toBe(true);
      }
    }
  });
});

describe('withinGiftLimit', () => {
  it('allows reaching the limit exactly and refuses a minute more', () => {
    expect(withinGiftLimit(100, 20, 120)).toBe(true);
    expect(withinGiftLimit(100, 21, 120)).toBe(false);
    expect(withinGiftLimit(0, 1, 0)).toBe(false);
  });
});
