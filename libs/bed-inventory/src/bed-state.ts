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
  'HOLD' | 'RELEASE' | 'EXPIRE' | 'ADMIT' | 'DISCHARGE' | 'TRANSFER_OUT' | 'TRANSFER_IN' | 'CLEANED' | 'MAINTENANCE' | 'REOPEN' | 'LEAVE' | 'RETURN';
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

/** What a caller must give with an action (the body fields of its route). */
export type BedActionInput = 'residentId' | 'reason' | 'expectedReturnOn' | 'toBedId';

/**
 * One action of the state machine, everything about it in one row: where it may start and
 * where it leads, what it needs, and what it does besides moving the bed. Every action also
 * writes a history event of its own name (`bed_events.action`) with the new version, and is
 * published to the facility's live board once committed.
 */
export interface BedActionRule {
  /** The legal moves: status before → status after. Anything not listed is illegal. */
  moves: Partial<Record<BedStatus, BedStatus>>;
  /** The manager's route, `POST /beds/:id/<route>`; null for what only the platform does. */
  route: string | null;
  /** What the caller must give (400 when missing). */
  needs: readonly BedActionInput[];
  /**
   * Places someone in the bed: refused as `BED_NOT_AVAILABLE` (rather than an illegal move) when
   * the bed is someone else's — held for another resident, occupied or on leave.
   */
  takes: boolean;
  /** Whom the bed names afterwards: the resident given, the one it had, or nobody. */
  resident: 'GIVEN' | 'KEPT' | 'NONE';
  /** The resident given must exist, be one the caller manages, have no stay and no hold on another bed. */
  checksResident: boolean;
  /** The hold: placed, or ended (an admission ends the hold only when the bed was reserved). */
  hold: 'PLACE' | 'END_ADMITTED' | 'END_RELEASED' | 'END_EXPIRED' | null;
  /** The stay: opened, closed, or left as it is. */
  stay: 'OPEN' | 'CLOSE' | null;
  /** The waiting list: an offer that ends without admission lapses; an admission ends every entry of the resident. */
  waitlist: 'LAPSE_OFFER' | 'ADMITTED' | null;
  /** The resident record moves to the bed's facility (a resident belongs where they live). */
  movesResident: boolean;
  /** The bed is left available: after the commit it is offered to the facility's waiting list. */
  offersBed: boolean;
}

const RULE: Omit<BedActionRule, 'moves' | 'route'> = {
  needs: [],
  takes: false,
  resident: 'NONE',
  checksResident: false,
  hold: null,
  stay: null,
  waitlist: null,
  movesResident: false,
  offersBed: false,
};

/**
 * The actions of docs/bed-inventory.md, "State machine". Keys are in the order a manager is offered them (the most usual
 * first), which `allowedActions` keeps. The database guards the same moves
 * (`trg_beds_check_transition`, `ck_bed_events_move`), and `bed_act` performs the manager's.
 */
export const BED_ACTION_RULES: Readonly<Record<BedAction, BedActionRule>> = {
  ADMIT: {
    ...RULE,
    moves: { AVAILABLE: 'OCCUPIED', RESERVED: 'OCCUPIED' },
    route: 'admit',
    needs: ['residentId'],
    takes: true,
    resident: 'GIVEN',
    checksResident: true,
    hold: 'END_ADMITTED',
    stay: 'OPEN',
    waitlist: 'ADMITTED',
    movesResident: true,
  },
  HOLD: {
    ...RULE,
    moves: { AVAILABLE: 'RESERVED' },
    route: 'hold',
    needs: ['residentId'],
    takes: true,
    resident: 'GIVEN',
    checksResident: true,
    hold: 'PLACE',
  },
  MAINTENANCE: { ...RULE, moves: { AVAILABLE: 'MAINTENANCE' }, route: 'maintenance', needs: ['reason'] },
  RELEASE: { ...RULE, moves: { RESERVED: 'AVAILABLE' }, route: 'release', needs: ['reason'], hold: 'END_RELEASED', waitlist: 'LAPSE_OFFER', offersBed: true },
  LEAVE: { ...RULE, moves: { OCCUPIED: 'ON_LEAVE' }, route: 'leave', needs: ['reason', 'expectedReturnOn'], resident: 'KEPT' },
  RETURN: { ...RULE, moves: { ON_LEAVE: 'OCCUPIED' }, route: 'return', resident: 'KEPT' },
  DISCHARGE: { ...RULE, moves: { OCCUPIED: 'CLEANING', ON_LEAVE: 'CLEANING' }, route: 'discharge', needs: ['reason'], stay: 'CLOSE' },
  TRANSFER_OUT: { ...RULE, moves: { OCCUPIED: 'CLEANING' }, route: 'transfer', needs: ['toBedId'], stay: 'CLOSE' },
  CLEANED: { ...RULE, moves: { CLEANING: 'AVAILABLE' }, route: 'cleaned', offersBed: true },
  REOPEN: { ...RULE, moves: { MAINTENANCE: 'AVAILABLE' }, route: 'reopen', offersBed: true },
  // The platform's: a hold running out, and the arriving half of a transfer (its resident comes from the other bed).
  EXPIRE: { ...RULE, moves: { RESERVED: 'AVAILABLE' }, route: null, hold: 'END_EXPIRED', waitlist: 'LAPSE_OFFER', offersBed: true },
  TRANSFER_IN: {
    ...RULE,
    moves: { AVAILABLE: 'OCCUPIED', RESERVED: 'OCCUPIED' },
    route: null,
    needs: ['residentId'],
    takes: true,
    resident: 'GIVEN',
    hold: 'END_ADMITTED',
    stay: 'OPEN',
    waitlist: 'ADMITTED',
    movesResident: true,
  },
};

/** The status an action leads to from `from`, or null when the move is not legal. */
export function nextStatus(from: BedStatus, action: BedAction): BedStatus | null {
  return BED_ACTION_RULES[action].moves[from] ?? null;
}

/** An action a manager may take on a bed now, as the API lists it on the bed. */
export interface AllowedAction {
  /** The route: `POST /beds/:id/<action>`. */
  action: string;
  /** The status the bed will have. */
  toStatus: BedStatus;
  /** What the request must give. */
  needs: BedActionInput[];
}

/** The manager's actions legal from `status`, most usual first. */
export function allowedActions(status: BedStatus): AllowedAction[] {
  return Object.values(BED_ACTION_RULES).flatMap((rule) => {
    const toStatus = rule.moves[status];
    return rule.route !== null && toStatus !== undefined ? [{ action: rule.route, toStatus, needs: [...rule.needs] }] : [];
  });
}

/** Why an action is refused: the bed is someone else's, or the move is not legal from its status. */
export type BedRefusal = { refused: 'BED_NOT_AVAILABLE' } | { refused: 'ILLEGAL_TRANSITION'; action: string; from: BedStatus };

/**
 * Decides an action against a bed's status and resident from the table: the status it leads to,
 * or the refusal the contract gives (an action that takes the bed while someone else has it is
 * "not available"; any other illegal move is an illegal transition, named by its route).
 */
export function decideAction(
  bed: { status: BedStatus; residentId: string | null },
  action: BedAction,
  residentId: string | undefined,
): { to: BedStatus } | BedRefusal {
  const rule = BED_ACTION_RULES[action];
  const to = rule.moves[bed.status];
  if (rule.takes && hasResident(bed.status) && (to === undefined || bed.residentId !== residentId)) return { refused: 'BED_NOT_AVAILABLE' };
  if (to === undefined) return { refused: 'ILLEGAL_TRANSITION', action: rule.route ?? action.toLowerCase(), from: bed.status };
  return { to };
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
 * Parses an `If-Match` header: `"7"`, `W/"7"` or `7`. Returns undefined when absent, and for `*`
 * (HTTP's "whatever the current version is", RFC 9110 §13.1.1: the bed exists, so it matches);
 * null when present but not a version (which the caller treats as stale).
 */
export function parseIfMatch(header: string | undefined): number | undefined | null {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  return match ? Number(match[1]) : null;
}
