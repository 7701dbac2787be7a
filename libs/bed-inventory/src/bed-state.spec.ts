/** Proves the bed state machine allows exactly the moves of product.md, replays histories and reads If-Match. */
import { BED_ACTIONS, BED_STATUSES, type BedAction, type BedStatus, nextStatus, parseIfMatch, replay } from './bed-state';

const LEGAL: [BedAction, BedStatus, BedStatus][] = [
  ['HOLD', 'AVAILABLE', 'RESERVED'],
  ['RELEASE', 'RESERVED', 'AVAILABLE'],
  ['EXPIRE', 'RESERVED', 'AVAILABLE'],
  ['ADMIT', 'AVAILABLE', 'OCCUPIED'],
  ['ADMIT', 'RESERVED', 'OCCUPIED'],
  ['DISCHARGE', 'OCCUPIED', 'CLEANING'],
  ['DISCHARGE', 'ON_LEAVE', 'CLEANING'],
  ['LEAVE', 'OCCUPIED', 'ON_LEAVE'],
  ['RETURN', 'ON_LEAVE', 'OCCUPIED'],
  ['TRANSFER_OUT', 'OCCUPIED', 'CLEANING'],
  ['TRANSFER_IN', 'AVAILABLE', 'OCCUPIED'],
  ['TRANSFER_IN', 'RESERVED', 'OCCUPIED'],
  ['CLEANED', 'CLEANING', 'AVAILABLE'],
  ['MAINTENANCE', 'AVAILABLE', 'MAINTENANCE'],
  ['REOPEN', 'MAINTENANCE', 'AVAILABLE'],
];

describe('bed state machine', () => {
  it.each(LEGAL)('%s moves %s to %s', (action, from, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it('refuses every other pair of action and status', () => {
    let illegal = 0;
    for (const action of BED_ACTIONS) {
      for (const from of BED_STATUSES) {
        if (LEGAL.some(([a, f]) => a === action && f === from)) continue;
        expect(nextStatus(from, action)).toBeNull();
        illegal += 1;
      }
    }
    expect(illegal).toBe(BED_ACTIONS.length * BED_STATUSES.length - LEGAL.length);
  });

  it('replays a history to the current state and rejects a broken one', () => {
    const r = 'resident-1';
    const state = replay([
      { action: 'CREATE', fromStatus: null, toStatus: 'AVAILABLE', residentId: null },
      { action: 'HOLD', fromStatus: 'AVAILABLE', toStatus: 'RESERVED', residentId: r },
      { action: 'ADMIT', fromStatus: 'RESERVED', toStatus: 'OCCUPIED', residentId: r },
    ]);
    expect(state).toEqual({ status: 'OCCUPIED', residentId: r, version: 3 });
    const away = replay([
      { action: 'CREATE', fromStatus: null, toStatus: 'AVAILABLE', residentId: null },
      { action: 'ADMIT', fromStatus: 'AVAILABLE', toStatus: 'OCCUPIED', residentId: r },
      { action: 'LEAVE', fromStatus: 'OCCUPIED', toStatus: 'ON_LEAVE', residentId: r },
    ]);
    expect(away).toEqual({ status: 'ON_LEAVE', residentId: r, version: 3 });
    expect(() =>
      replay([
        { action: 'CREATE', fromStatus: null, toStatus: 'AVAILABLE', residentId: null },
        { action: 'LEAVE', fromStatus: 'AVAILABLE', toStatus: 'ON_LEAVE', residentId: r },
      ]),
    ).toThrow('illegal event');
    expect(() =>
      replay([
        { action: 'CREATE', fromStatus: null, toStatus: 'AVAILABLE', residentId: null },
        { action: 'DISCHARGE', fromStatus: 'AVAILABLE', toStatus: 'CLEANING', residentId: r },
      ]),
    ).toThrow('illegal event');
  });

  it('reads If-Match headers', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('"7"')).toBe(7);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"abc"')).toBeNull();
  });
});
