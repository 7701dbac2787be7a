/** Proves the bed state machine allows exactly the moves of docs/bed-inventory.md ("State machine"), replays histories and reads If-Match. */
import {
  allowedActions,
  BED_ACTION_RULES,
  BED_ACTIONS,
  BED_STATUSES,
  type BedAction,
  type BedStatus,
  decideAction,
  nextStatus,
  parseIfMatch,
  replay,
} from './bed-state';

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

  it('offers a manager, from each status, the routes of the table in their order, with their result and needs', () => {
    const offered = (status: BedStatus): string[] => allowedActions(status).map((a) => a.action);
    expect(offered('AVAILABLE')).toEqual(['admit', 'hold', 'maintenance']);
    expect(offered('RESERVED')).toEqual(['admit', 'release']);
    expect(offered('OCCUPIED')).toEqual(['leave', 'discharge', 'transfer']);
    expect(offered('ON_LEAVE')).toEqual(['return', 'discharge']);
    expect(offered('CLEANING')).toEqual(['cleaned']);
    expect(offered('MAINTENANCE')).toEqual(['reopen']);
    expect(allowedActions('OCCUPIED')).toEqual([
      { action: 'leave', toStatus: 'ON_LEAVE', needs: ['reason', 'expectedReturnOn'] },
      { action: 'discharge', toStatus: 'CLEANING', needs: ['reason'] },
      { action: 'transfer', toStatus: 'CLEANING', needs: ['toBedId'] },
    ]);
    // Every legal move of a route is offered; the platform's own moves never are.
    for (const action of BED_ACTIONS) {
      const route = BED_ACTION_RULES[action].route;
      for (const from of BED_STATUSES) {
        const listed = allowedActions(from).some((a) => a.action === route && a.toStatus === nextStatus(from, action));
        expect(listed).toBe(route !== null && nextStatus(from, action) !== null);
      }
    }
  });

  it('decides an action as the contract answers: not available when the bed is someone else’s, else an illegal move', () => {
    const bed = (status: BedStatus, residentId: string | null = null) => ({ status, residentId });
    expect(decideAction(bed('AVAILABLE'), 'HOLD', 'r1')).toEqual({ to: 'RESERVED' });
    expect(decideAction(bed('RESERVED', 'r1'), 'ADMIT', 'r1')).toEqual({ to: 'OCCUPIED' });
    expect(decideAction(bed('RESERVED', 'r1'), 'ADMIT', 'r2')).toEqual({ refused: 'BED_NOT_AVAILABLE' });
    expect(decideAction(bed('RESERVED', 'r1'), 'HOLD', 'r1')).toEqual({ refused: 'BED_NOT_AVAILABLE' });
    expect(decideAction(bed('OCCUPIED', 'r1'), 'TRANSFER_IN', 'r2')).toEqual({ refused: 'BED_NOT_AVAILABLE' });
    expect(decideAction(bed('ON_LEAVE', 'r1'), 'ADMIT', 'r2')).toEqual({ refused: 'BED_NOT_AVAILABLE' });
    expect(decideAction(bed('CLEANING'), 'ADMIT', 'r2')).toEqual({ refused: 'ILLEGAL_TRANSITION', action: 'admit', from: 'CLEANING' });
    expect(decideAction(bed('RESERVED', 'r1'), 'TRANSFER_OUT', undefined)).toEqual({ refused: 'ILLEGAL_TRANSITION', action: 'transfer', from: 'RESERVED' });
    expect(decideAction(bed('CLEANING'), 'TRANSFER_IN', 'r2')).toEqual({ refused: 'ILLEGAL_TRANSITION', action: 'transfer_in', from: 'CLEANING' });
    expect(decideAction(bed('OCCUPIED', 'r1'), 'DISCHARGE', undefined)).toEqual({ to: 'CLEANING' });
  });

  it('reads If-Match headers', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('"7"')).toBe(7);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"abc"')).toBeNull();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(' * ')).toBeUndefined();
    expect(parseIfMatch('"*"')).toBeNull();
  });
});
