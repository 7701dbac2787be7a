/** Care levels of beds and residents: 自理, 半失能, 失能/护理型. */
export type CareLevel = 'SELF_CARE' | 'ASSISTED' | 'NURSING';
export const CARE_LEVELS: readonly CareLevel[] = ['SELF_CARE', 'ASSISTED', 'NURSING'];

/**
 * Where a bed can be. `ON_LEAVE` (请假 / 住院留床): the resident is away (home leave, a hospital
 * stay) and keeps the bed; the stay goes on and the bed counts as occupied.
 */
export type BedStatus = 'AVAILABLE' | 'RESERVED' | 'OCCUPIED' | 'ON_LEAVE' | 'CLEANING' | 'MAINTENANCE';
export const BED_STATUSES: readonly BedStatus[] = ['AVAILABLE', 'RESERVED', 'OCCUPIED', 'ON_LEAVE', 'CLEANING', 'MAINTENANCE'];

/** Statuses that count as occupied in occupancy figures: someone lives in the bed, present or on leave. */
export const OCCUPIED_STATUSES: readonly BedStatus[] = ['OCCUPIED', 'ON_LEAVE'];

/**
 * Everything that can happen to a bed after it exists. `EXPIRE` is a hold running out (the
 * system acts); `TRANSFER_OUT`/`TRANSFER_IN` are the two halves of one transfer.
 */
export type BedAction =
  | 'HOLD'
  | 'RELEASE'
  | 'EXPIRE'
  | 'ADMIT'
  | 'DISCHARGE'
  | 'TRANSFER_OUT'
  | 'TRANSFER_IN'
  | 'CLEANED'
  | 'MAINTENANCE'
  | 'REOPEN'
  | 'LEAVE'
  | 'RETURN';
export const BED_ACTIONS: readonly BedAction[] = [
  'HOLD',
  'RELEASE',
  'EXPIRE',
  'ADMIT',
  'DISCHARGE',
  'TRANSFER_OUT',
  'TRANSFER_IN',
  'CLEANED',
  'MAINTENANCE',
  'REOPEN',
  'LEAVE',
  'RETURN',
];

/** The legal moves of product.md §1: action → (from → to). Anything not listed is illegal. */
const MOVES: Record<BedAction, Partial<Record<BedStatus, BedStatus>>> = {
  HOLD: { AVAILABLE: 'RESERVED' },
  RELEASE: { RESERVED: 'AVAILABLE' },
  EXPIRE: { RESERVED: 'AVAILABLE' },
  ADMIT: { AVAILABLE: 'OCCUPIED', RESERVED: 'OCCUPIED' },
  DISCHARGE: { OCCUPIED: 'CLEANING', ON_LEAVE: 'CLEANING' },
  TRANSFER_OUT: { OCCUPIED: 'CLEANING' },
  TRANSFER_IN: { AVAILABLE: 'OCCUPIED', RESERVED: 'OCCUPIED' },
  CLEANED: { CLEANING: 'AVAILABLE' },
  MAINTENANCE: { AVAILABLE: 'MAINTENANCE' },
  REOPEN: { MAINTENANCE: 'AVAILABLE' },
  LEAVE: { OCCUPIED: 'ON_LEAVE' },
  RETURN: { ON_LEAVE: 'OCCUPIED' },
};

/** The status an action leads to from `from`, or null when the move is not legal. */
export function nextStatus(from: BedStatus, action: BedAction): BedStatus | null {
  return MOVES[action][from] ?? null;
}

/** Statuses from which the action is legal. */
export function legalFrom(action: BedAction): BedStatus[] {
  return BED_STATUSES.filter((status) => MOVES[action][status] !== undefined);
}

/** A bed that someone else has: a hold or an admission into it is refused as "not available". */
export function isTaken(status: BedStatus): boolean {
  return status === 'RESERVED' || status === 'OCCUPIED' || status === 'ON_LEAVE';
}

/** Statuses in which a bed names a resident. */
export function hasResident(status: BedStatus): boolean {
  return status === 'RESERVED' || status === 'OCCUPIED' || status === 'ON_LEAVE';
}

/** One history row, as far as replay needs it. */
export interface ReplayEvent {
  action: BedAction | 'CREATE';
  fromStatus: BedStatus | null;
  toStatus: BedStatus;
  residentId: string | null;
}

/** The state a bed's history leads to. */
export interface ReplayedBed {
  status: BedStatus;
  residentId: string | null;
  version: number;
}

/**
 * Rebuilds a bed's current state from its history, checking that every event is a legal move
 * from the state the previous ones left. Throws on a history that breaks the rules.
 */
export function replay(events: readonly ReplayEvent[]): ReplayedBed {
  let state: ReplayedBed | null = null;
  for (const event of events) {
    if (event.action === 'CREATE') {
      if (state !== null || event.fromStatus !== null) throw new Error('CREATE must be the first event');
      state = { status: event.toStatus, residentId: null, version: 1 };
      continue;
    }
    if (state === null) throw new Error('history does not start with CREATE');
    if (event.fromStatus !== state.status || nextStatus(state.status, event.action) !== event.toStatus) {
      throw new Error(`illegal event ${event.action} from ${state.status}`);
    }
    const residentId = hasResident(event.toStatus) ? event.residentId : null;
    state = { status: event.toStatus, residentId, version: state.version + 1 };
  }
  if (state === null) throw new Error('empty history');
  return state;
}

/** Priority reasons on the waiting list, and the points each gives (see docs/bed-inventory.md). */
export type PriorityReason = 'HARDSHIP' | 'LIVING_ALONE' | 'AGE_80_PLUS' | 'DISABILITY';
export const PRIORITY_REASONS: readonly PriorityReason[] = ['HARDSHIP', 'LIVING_ALONE', 'AGE_80_PLUS', 'DISABILITY'];

/**
 * Parses an `If-Match` header: `"7"`, `W/"7"` or `7`. Returns undefined when absent and null
 * when present but not a version (which the caller treats as stale).
 */
export function parseIfMatch(header: string | undefined): number | undefined | null {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  return match ? Number(match[1]) : null;
}
