import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type NotificationEvent, NotificationKind, NotificationOutbox, NotificationSources } from '@app/notifications';
import {
  APP_CONFIG,
  type AppConfig,
  CommonError,
  hasRole,
  Permission,
  type Principal,
  requireAccess,
  Role,
  sqlState,
  type TransactionContext,
  TransactionRunner,
  violatedConstraint,
} from '@app/platform';
import { BedBoard } from './bed-board';
import { BedInventoryError } from './bed-inventory.errors';
import { BedInventoryJobs } from './bed-inventory.jobs';
import { BED_ACTION_RULES, type BedAction, type BedRefusal, type BedStatus, type CareLevel, decideAction } from './bed-state';
import { BedsRepository, type BedRow, type NewBed } from './beds.repository';
import { type BedView, toBedView } from './beds.view';
import { FacilitiesRepository } from './facilities.repository';
import { OccupancyHistory, type OccupancyView } from './occupancy-history';
import { ResidentsRepository } from './residents.repository';
import { WaitlistRepository } from './waitlist.repository';

/** Who acts: a signed-in person, or the platform itself (hold expiry, waiting-list offers). */
export type Actor = Principal | 'SYSTEM';

/** One history entry as the API shows it. */
export interface BedEventView {
  at: string;
  actorId: string | null;
  action: BedAction | 'CREATE';
  fromStatus: BedStatus | null;
  toStatus: BedStatus;
  residentId: string | null;
  reason: string | null;
  version: number;
  expectedReturnOn: string | null;
}

/** A bed on the staff board: the bed, and its resident's name (nothing else of the person). */
export interface BoardBedView extends BedView {
  residentName: string | null;
}

export type { OccupancyView };

/** Occupancy at an instant up to this far ahead of the server's clock is read as now (client clocks drift). */
const CLOCK_SKEW_MS = 5000;
/** How far ahead a leave may be planned. */
const MAX_LEAVE_DAYS = 366;

/**
 * A bed held for a resident, told to her senior account and relatives: whether the platform
 * offered it from the waiting list or a manager held it by hand, the key is the hold's, so it is
 * told once.
 */
function bedOffered(holdId: string, idCardHash: string, facility: string, code: string, expiresAt: Date): NotificationEvent {
  return {
    kind: NotificationKind.BED_OFFERED,
    eventKey: `bed-offer:${holdId}`,
    to: { idCardHash },
    params: { facility, bed: code, at: expiresAt.toISOString() },
    link: '/',
  };
}

/** Today's date in China (YYYY-MM-DD), the day a leave's expected return is compared with. */
function chinaToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** 400 unless `value` is a real calendar day from today (China time) to a year ahead. */
function checkExpectedReturn(value: string): void {
  const day = new Date(`${value}T00:00:00Z`);
  const field = (message: string): never => {
    throw CommonError.validation(`expectedReturnOn ${message}.`, [{ field: 'expectedReturnOn', message }]);
  };
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) field('must be a real date YYYY-MM-DD');
  const today = new Date(`${chinaToday()}T00:00:00Z`);
  if (day.getTime() < today.getTime()) field('must be today or later');
  if (day.getTime() > today.getTime() + MAX_LEAVE_DAYS * 86_400_000) field(`must be at most ${MAX_LEAVE_DAYS} days ahead`);
}

/** A hold just placed, whose expiry is scheduled once it committed. */
interface PlacedHold {
  id: string;
  expiresAt: Date;
}

export interface ActionInput {
  residentId?: string;
  reason?: string;
  holdMinutes?: number;
  expectedReturnOn?: string;
}

/**
 * The bed state machine. Each action reads the bed, checks the move against the transition
 * table, and moves it with one conditional UPDATE (`WHERE version = $v AND status = $from`):
 * when another change got there first no row matches, and the caller gets 412 or 409. Stays,
 * holds and history rows are written in the same transaction; the partial unique indexes on
 * stays and holds turn a lost race into a constraint violation, translated to the contract's
 * codes. The bed board and the jobs hear about a change only after it committed.
 */
@Injectable()
export class BedsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BedsService.name);
  /** After-commit work of actions already answered, still on its way; shutdown waits for it. */
  private readonly followUps = new Set<Promise<void>>();

  constructor(
    private readonly beds: BedsRepository,
    private readonly facilities: FacilitiesRepository,
    private readonly residents: ResidentsRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly tx: TransactionRunner,
    private readonly board: BedBoard,
    private readonly jobs: BedInventoryJobs,
    private readonly occupancyHistory: OccupancyHistory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationOutbox,
    private readonly notificationSources: NotificationSources,
  ) {}

  onModuleInit(): void {
    this.notificationSources.register('hold-expiring', (now) => this.recordHoldsExpiring(now, this.config.holdExpiringNoticeHours));
    this.notificationSources.register('hold-placed', (now) => this.recordHoldsPlaced(now));
    this.notificationSources.register('leave-overdue', (now) => this.recordLeavesOverdue(now));
    this.notificationSources.register('leave-ended', (now) => this.settleLeavesEnded(now));
  }

  /** Modules close after those that depend on them: Redis and the queues are still open here. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.followUps]);
  }

  /** 404 when the facility does not exist, 403 when the caller does not manage it (read outside a transaction). */
  async assertManages(principal: Principal, facilityId: string): Promise<void> {
    const facility = await this.facilities.findById(this.facilities.manager, facilityId);
    if (!facility) throw CommonError.notFound('facility');
    requireAccess(principal, Permission.FacilityManage, facilityId, { forbidden: 'You do not manage this facility.' });
  }

  async addBeds(principal: Principal | null, facilityId: string, beds: NewBed[]): Promise<BedView[]> {
    const codes = new Set(beds.map((b) => b.code.trim()));
    if (codes.size !== beds.length) throw BedInventoryError.duplicateBedCode();
    const rows = await this.tx
      .run(async (m, tx) => {
        const facility = await this.facilities.findById(m, facilityId);
        if (!facility) throw CommonError.notFound('facility');
        if (principal) requireAccess(principal, Permission.FacilityManage, facilityId, { forbidden: 'You do not manage this facility.' });
        if (facility.kind === 'CARE_CENTRE') throw BedInventoryError.noBedsInCareCentre();
        const created = await this.beds.insertMany(
          m,
          facilityId,
          beds.map((b) => ({ ...b, code: b.code.trim(), room: b.room.trim() })),
          principal?.id ?? null,
        );
        // A new bed is available: offered to the waiting list like any bed left available.
        tx.afterCommit(() => Promise.all(created.map((bed) => this.followUp(bed, null, true))));
        return created;
      })
      .catch((error: unknown) => {
        if (violatedConstraint(error) === 'uq_beds_facility_code') throw BedInventoryError.duplicateBedCode();
        throw error;
      });
    return rows.map(toBedView);
  }

  async list(
    principal: Principal,
    facilityId: string,
    filter: { status?: BedStatus; careLevel?: CareLevel },
    limit: number,
    offset: number,
  ): Promise<{ items: BedView[]; total: number }> {
    await this.assertManages(principal, facilityId);
    const { rows, total } = await this.beds.list(facilityId, filter, limit, offset);
    return { items: rows.map(toBedView), total };
  }

  async get(principal: Principal, bedId: string): Promise<BedView> {
    const bed = await this.visibleBed(this.beds.manager, principal, bedId);
    return toBedView(bed);
  }

  async history(principal: Principal, bedId: string, limit: number, offset: number): Promise<{ items: BedEventView[]; total: number }> {
    await this.visibleBed(this.beds.manager, principal, bedId);
    const { rows, total } = await this.beds.history(bedId, limit, offset);
    return {
      items: rows.map((e) => ({
        at: new Date(e.at).toISOString(),
        actorId: e.actor_id,
        action: e.action,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        residentId: e.resident_id,
        reason: e.reason,
        version: e.version,
        expectedReturnOn: e.expected_return_on,
      })),
      total,
    };
  }

  /**
   * Live figures, or with `at` the figures at that instant replayed from the bed history. An
   * instant in the future is refused (400), except up to a few seconds of clock drift, read as now.
   */
  async occupancy(principal: Principal, facilityId: string, at?: Date): Promise<OccupancyView & { at?: string }> {
    await this.assertManages(principal, facilityId);
    if (!at) return this.occupancyHistory.live(facilityId);
    const now = Date.now();
    if (at.getTime() > now + CLOCK_SKEW_MS)
      throw CommonError.validation('at must not be in the future.', [{ field: 'at', message: 'must not be in the future' }]);
    const instant = new Date(Math.min(at.getTime(), now));
    return { at: instant.toISOString(), ...(await this.occupancyHistory.at(facilityId, instant)) };
  }

  /** Every bed of the facility with its resident's name, for the staff board (the facility's managers, administrators). */
  async boardBeds(principal: Principal, facilityId: string): Promise<{ items: BoardBedView[]; total: number }> {
    await this.assertManages(principal, facilityId);
    const rows = await this.beds.board(facilityId);
    return { items: rows.map((row) => ({ ...toBedView(row), residentName: row.resident_name })), total: rows.length };
  }

  /**
   * Performs one action on one bed. `ifMatch` is the version the caller saw (undefined: the
   * version just read; null: an unreadable header, treated as stale).
   */
  async act(
    actor: Actor,
    bedId: string,
    action: Exclude<BedAction, 'TRANSFER_OUT' | 'TRANSFER_IN' | 'EXPIRE'>,
    ifMatch: number | null | undefined,
    input: ActionInput = {},
  ): Promise<BedView> {
    if (action === 'LEAVE') checkExpectedReturn(input.expectedReturnOn ?? '');
    const system = actor === 'SYSTEM';
    const admin = !system && hasRole(actor, Role.ADMIN);
    const moved = await this.beds
      .act(this.beds.manager, {
        bedId,
        action,
        // An unreadable If-Match is treated as stale: no bed has version -1.
        ifMatch: ifMatch === null ? -1 : (ifMatch ?? null),
        facilityIds: system || admin ? null : hasRole(actor, Role.MANAGER) ? actor.facilityIds : [],
        actorId: system ? null : actor.id,
        residentId: input.residentId?.toLowerCase() ?? null,
        reason: input.reason ?? null,
        holdSeconds: action === 'HOLD' ? (input.holdMinutes ?? this.config.bedHoldMinutesDefault) * 60 : null,
        expectedReturnOn: action === 'LEAVE' ? (input.expectedReturnOn ?? null) : null,
      })
      .catch((error: unknown) => {
        throw translateBedError(error);
      });
    // bed_act is its own transaction: it has committed when it answers. The manager is answered
    // now; the board, the hold's expiry job and the waiting-list offer follow without holding
    // the answer back (each already logs and survives its own failure, and the repeating sweep
    // catches a hold whose expiry job was lost). A bed left available is offered only when
    // someone of its care level was waiting: an offer job for an empty list would find nobody.
    this.afterAnswer(this.followUp(moved.bed, moved.hold, BED_ACTION_RULES[action].offersBed && moved.someoneWaiting));
    return toBedView(moved.bed);
  }

  /** Moves the resident of one bed to another in one transaction: source → CLEANING, target → OCCUPIED. */
  async transfer(actor: Principal, bedId: string, toBedId: string, ifMatch: number | null | undefined): Promise<{ from: BedView; to: BedView }> {
    if (bedId === toBedId) throw CommonError.validation('A bed cannot be transferred to itself.', [{ field: 'toBedId', message: 'must be another bed' }]);
    const result = await this.run(async (m, tx) => {
      await this.beds.lockInOrder(m, [bedId, toBedId]);
      const source = await this.loadForAction(m, actor, bedId, ifMatch);
      const target = await this.beds.findById(m, toBedId);
      if (!target) throw CommonError.notFound('target bed');
      requireAccess(actor, Permission.FacilityManage, target.facility_id, { forbidden: 'You do not manage the facility of the target bed.' });
      const residentId = source.resident_id ?? undefined;
      const reason = `transfer ${source.code} → ${target.code}`;
      const from = await this.apply(m, tx, actor, source, 'TRANSFER_OUT', ifMatch ?? source.version, { residentId, reason }, ifMatch !== undefined);
      const to = await this.apply(m, tx, actor, target, 'TRANSFER_IN', target.version, { residentId, reason });
      if (residentId) await this.notifyTransfer(m, to.bed, residentId);
      return { from: from.bed, to: to.bed };
    });
    return { from: toBedView(result.from), to: toBedView(result.to) };
  }

  /**
   * Ends a hold whose time is up; a no-op when it already ended (a job may run twice) and when
   * it is not due yet (the sweep or a retry comes back later). Returns whether the bed moved.
   */
  async expireHold(holdId: string): Promise<boolean> {
    return this.run(async (m, tx) => {
      const hold = await this.beds.findHold(m, holdId);
      if (!hold || hold.ended_at !== null || !hold.due) return false;
      const bed = await this.beds.findById(m, hold.bed_id);
      if (!bed || bed.status !== 'RESERVED' || bed.resident_id !== hold.resident_id) return false;
      await this.apply(m, tx, 'SYSTEM', bed, 'EXPIRE', bed.version, { residentId: hold.resident_id, reason: 'hold expired' });
      return true;
    });
  }

  /** Holds whose time is up, for the repeating sweep. */
  async dueHoldIds(limit = 200): Promise<string[]> {
    return (await this.beds.dueHolds(limit)).map((h) => h.id);
  }

  /** Available beds someone on the waiting list could be offered, for the repeating sweep. */
  async bedIdsToOffer(limit = 100): Promise<string[]> {
    return this.beds.bedsToOffer(limit);
  }

  /**
   * Offers an available bed to the head of its facility's waiting list for its care level by
   * placing a hold for them (the platform acts). A no-op when the bed is no longer available or
   * nobody matching waits. Returns the waiting-list entry offered, if any.
   */
  async offerToWaitlist(bedId: string): Promise<string | null> {
    return this.run(async (m, tx) => {
      await this.beds.lockInOrder(m, [bedId]);
      const bed = await this.beds.findById(m, bedId);
      if (!bed || bed.status !== 'AVAILABLE') return null;
      const head = await this.waitlist.head(m, bed.facility_id, bed.care_level);
      if (!head) return null;
      const { hold } = await this.apply(m, tx, 'SYSTEM', bed, 'HOLD', bed.version, {
        residentId: head.resident_id,
        reason: 'offered to the head of the waiting list',
      });
      await this.waitlist.markOffered(m, head.id, bed.id);
      if (hold) await this.notifyOffer(m, hold, bed, head.resident_id);
      return head.id;
    });
  }

  /**
   * Ends, inside the caller's transaction (the bed already locked), the hold a waiting-list offer
   * placed for the resident; a no-op when the bed is no longer held for them. Once the
   * transaction commits, the board hears of the bed and it is offered to the next in line.
   */
  async releaseOffer(m: EntityManager, tx: TransactionContext, actor: Principal, bedId: string, residentId: string, reason: string): Promise<void> {
    const bed = await this.beds.findById(m, bedId);
    if (!bed || bed.status !== 'RESERVED' || bed.resident_id !== residentId) return;
    const moved = await this.beds
      .act(m, { bedId, action: 'RELEASE', ifMatch: null, facilityIds: null, actorId: actor.id, residentId: null, reason, holdSeconds: null })
      .catch((error: unknown) => {
        throw translateBedError(error);
      });
    tx.afterCommit(() => this.followUp(moved.bed, null, BED_ACTION_RULES.RELEASE.offersBed));
  }

  /**
   * Tells the resident's senior account (the user with the same ID number, if there is one) and
   * its linked relatives that a bed is held for them, in the offer's transaction: once per hold.
   */
  private async notifyOffer(m: EntityManager, hold: PlacedHold, bed: BedRow, residentId: string): Promise<void> {
    const found = await this.addresseeOf(m, residentId, bed);
    if (!found) return;
    await this.notifications.record(m, [bedOffered(hold.id, found.idCardHash, found.facility, bed.code, hold.expiresAt)]);
  }

  /** Whom a message about a resident goes to (her ID-number hash), and the name of the bed's facility. */
  private async addresseeOf(m: EntityManager, residentId: string, bed: BedRow): Promise<{ idCardHash: string; facility: string } | null> {
    const rows: { idCardHash: string; facility: string }[] = await m.query(
      `SELECT r.id_card_hash AS "idCardHash", f.name AS facility FROM residents r, facilities f WHERE r.id = $1 AND f.id = $2`,
      [residentId, bed.facility_id],
    );
    return rows[0] ?? null;
  }

  /**
   * Tells the resident's senior account and its linked relatives which bed she now has, in the
   * transfer's transaction: a daughter coming to visit goes to the new room, not the old one.
   * Each transfer is its own event (the target bed's version after it moved in).
   */
  private async notifyTransfer(m: EntityManager, bed: BedRow, residentId: string): Promise<void> {
    const found = await this.addresseeOf(m, residentId, bed);
    if (!found) return;
    await this.notifications.record(m, [
      {
        kind: NotificationKind.BED_TRANSFERRED,
        eventKey: `bed-transfer:${bed.id}:${bed.version}`,
        to: { idCardHash: found.idCardHash },
        params: { facility: found.facility, bed: bed.code },
        link: '/',
      },
    ]);
  }

  /**
   * Holds placed by hand, by a manager (an offer from the waiting list is told in its own
   * transaction): each tells the resident's senior account and relatives once, as an offer does
   * (`BED_OFFERED`, under the same event key, so an offered hold is never told twice). The
   * notifications' sweep runs it every minute, so `bed_act` stays one statement. Only holds of a
   * resident with a senior account are looked at; one told already is found by its event key.
   */
  async recordHoldsPlaced(now: Date): Promise<number> {
    return this.tx.run(async (m) => {
      const holds: { id: string; expiresAt: Date; idCardHash: string; facility: string; code: string }[] = await m.query(
        `SELECT h.id, h.expires_at AS "expiresAt", r.id_card_hash AS "idCardHash", f.name AS facility, b.code
           FROM holds h JOIN beds b ON b.id = h.bed_id JOIN facilities f ON f.id = b.facility_id JOIN residents r ON r.id = h.resident_id
          WHERE h.ended_at IS NULL AND h.expires_at > $1
            AND EXISTS (SELECT 1 FROM users u WHERE u.id_card_hash = r.id_card_hash AND u.removed_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.event_key = 'bed-offer:' || h.id)
          ORDER BY h.created_at LIMIT 500`,
        [now.toISOString()],
      );
      return this.notifications.record(
        m,
        holds.map((h) => bedOffered(h.id, h.idCardHash, h.facility, h.code, new Date(h.expiresAt))),
      );
    });
  }

  /**
   * Holds that end within `noticeHours` of `now` (and were longer than that), for the
   * notifications' sweep: each tells the resident's senior account and relatives once.
   */
  async recordHoldsExpiring(now: Date, noticeHours: number): Promise<number> {
    return this.tx.run(async (m) => {
      const holds: { id: string; expiresAt: Date; idCardHash: string; facility: string }[] = await m.query(
        `SELECT h.id, h.expires_at AS "expiresAt", r.id_card_hash AS "idCardHash", f.name AS facility
           FROM holds h JOIN beds b ON b.id = h.bed_id JOIN facilities f ON f.id = b.facility_id JOIN residents r ON r.id = h.resident_id
          WHERE h.ended_at IS NULL AND h.expires_at > $1 AND h.expires_at <= $1::timestamptz + make_interval(hours => $2)
            AND h.expires_at - h.created_at > make_interval(hours => $2)
          ORDER BY h.expires_at LIMIT 500`,
        [now.toISOString(), noticeHours],
      );
      return this.notifications.record(
        m,
        holds.map((h) => ({
          kind: NotificationKind.HOLD_EXPIRING,
          eventKey: `hold-expiring:${h.id}`,
          to: { idCardHash: h.idCardHash },
          params: { facility: h.facility, at: new Date(h.expiresAt).toISOString() },
          link: '/',
        })),
      );
    });
  }

  /**
   * Residents away past the day they were expected back, with no return recorded, for the
   * notifications' sweep: from the next day (China time), each such leave tells every manager of
   * its facility once, a manager who joins later too. A leave keeps its bed's version while it
   * lasts (its only moves end it), so the bed and version name it. The board marks the bed as well.
   */
  async recordLeavesOverdue(now: Date): Promise<number> {
    return this.tx.run(async (m) => {
      const late: { bedId: string; version: number; code: string; expectedOn: string; facility: string; resident: string; managerId: string }[] = await m.query(
        `SELECT b.id AS "bedId", b.version, b.code, b.leave_expected_return_on::text AS "expectedOn", f.name AS facility,
                  r.name AS resident, u.id AS "managerId"
             FROM beds b
             JOIN facilities f ON f.id = b.facility_id
             JOIN residents r ON r.id = b.resident_id
             JOIN users u ON b.facility_id = ANY (u.facility_ids) AND 'MANAGER' = ANY (u.roles) AND u.removed_at IS NULL
            WHERE b.status = 'ON_LEAVE' AND b.leave_expected_return_on < $1::date
              AND NOT EXISTS (
                SELECT 1 FROM notifications n WHERE n.event_key = 'leave-overdue:' || b.id || ':' || b.version AND n.addressee_id = u.id)
            ORDER BY b.leave_expected_return_on, b.code LIMIT 500`,
        [chinaToday(now)],
      );
      return this.notifications.record(
        m,
        late.map((l) => ({
          kind: NotificationKind.LEAVE_OVERDUE,
          eventKey: `leave-overdue:${l.bedId}:${l.version}`,
          to: { userId: l.managerId },
          params: { facility: l.facility, bed: l.code, resident: l.resident, expectedOn: l.expectedOn },
          link: `/beds/${l.bedId}`,
        })),
      );
    });
  }

  /**
   * Leaves ended (the resident recorded back, or discharged) in the two days before `now`, for
   * the notifications' sweep: their overdue messages are answered, so they count as read and a
   * text still waiting for the morning is withdrawn (`settle`). The ending move's version is one
   * more than the leave's, which names the message. Outside `bed_act`, which stays one statement.
   */
  async settleLeavesEnded(now: Date): Promise<number> {
    return this.tx.run(async (m) => {
      const ended: { key: string }[] = await m.query(
        `SELECT 'leave-overdue:' || bed_id || ':' || (version - 1) AS key FROM bed_events
          WHERE at > $1::timestamptz - interval '2 days' AND at <= $1::timestamptz
            AND action IN ('RETURN', 'DISCHARGE') AND from_status = 'ON_LEAVE'`,
        [now.toISOString()],
      );
      return ended.length === 0
        ? 0
        : this.notifications.settle(
            m,
            ended.map((e) => e.key),
          );
    });
  }

  private async run<T>(work: (m: EntityManager, tx: TransactionContext) => Promise<T>): Promise<T> {
    try {
      return await this.tx.run(work);
    } catch (error) {
      throw translateBedError(error);
    }
  }

  /** The bed, when the caller manages its facility: 404 or 403 otherwise. Outside a transaction, `m` is the repository's pool manager. */
  private async visibleBed(m: EntityManager, principal: Principal, bedId: string): Promise<BedRow> {
    const bed = await this.beds.findById(m, bedId);
    if (!bed) throw CommonError.notFound('bed');
    requireAccess(principal, Permission.FacilityManage, bed.facility_id, { forbidden: 'You do not manage the facility of this bed.' });
    return bed;
  }

  private async loadForAction(m: EntityManager, actor: Actor, bedId: string, ifMatch: number | null | undefined): Promise<BedRow> {
    const bed = actor === 'SYSTEM' ? await this.beds.findById(m, bedId) : await this.visibleBed(m, actor, bedId);
    if (!bed) throw CommonError.notFound('bed');
    if (ifMatch === null || (ifMatch !== undefined && ifMatch !== bed.version)) throw CommonError.versionMismatch();
    return bed;
  }

  /**
   * Moves one bed inside the caller's transaction (the bed already read, and locked where it
   * matters), as `BED_ACTION_RULES` says: the refusal or the target status, what the action
   * needs, the resident's checks, the move and its history event, then the hold, stay,
   * waiting-list and resident effects. The board, the hold's expiry and the waiting-list offer
   * follow the commit.
   */
  private async apply(
    m: EntityManager,
    tx: TransactionContext,
    actor: Actor,
    bed: BedRow,
    action: BedAction,
    version: number,
    input: ActionInput,
    ifMatchGiven = false,
  ): Promise<{ bed: BedRow; hold: PlacedHold | null }> {
    const rule = BED_ACTION_RULES[action];
    const residentId = input.residentId;
    const decided = decideAction({ status: bed.status, residentId: bed.resident_id }, action, residentId);
    if ('refused' in decided) throw refusalError(decided);
    if (rule.needs.includes('residentId') && !residentId)
      throw CommonError.validation('residentId is required.', [{ field: 'residentId', message: 'is required' }]);

    if (rule.checksResident && residentId) {
      const resident = await this.residents.findById(m, residentId);
      if (!resident) throw CommonError.notFound('resident');
      if (actor !== 'SYSTEM') requireAccess(actor, Permission.FacilityManage, resident.facility_id, { notFound: 'resident' });
      if (await this.beds.residentHasStay(m, residentId)) throw BedInventoryError.residentAlreadyAdmitted();
      const hold = await this.beds.activeHoldOfResident(m, residentId);
      if (hold && hold.bed_id !== bed.id) throw BedInventoryError.residentAlreadyHeld();
    }

    const nextResident = rule.resident === 'GIVEN' ? (residentId ?? null) : rule.resident === 'KEPT' ? bed.resident_id : null;
    const holdSeconds = rule.hold === 'PLACE' ? (input.holdMinutes ?? this.config.bedHoldMinutesDefault) * 60 : null;
    const moved = await this.beds.transition(
      m,
      { id: bed.id, version, from: bed.status, to: decided.to, residentId: nextResident, holdSeconds },
      { actorId: actor === 'SYSTEM' ? null : actor.id, action, residentId: nextResident ?? bed.resident_id, reason: input.reason ?? null },
    );
    if (!moved) {
      // Another change committed first. With If-Match the caller's view is stale (412);
      // without, the bed's state now decides the answer, exactly as if this request came second.
      if (ifMatchGiven) throw CommonError.versionMismatch();
      const now = await this.beds.findById(m, bed.id);
      if (!now) throw CommonError.notFound('bed');
      const again = decideAction({ status: now.status, residentId: now.resident_id }, action, residentId);
      throw 'refused' in again ? refusalError(again) : CommonError.versionMismatch();
    }

    let placed: PlacedHold | null = null;
    switch (rule.hold) {
      case 'PLACE': {
        const hold = await this.beds.insertHold(m, moved);
        placed = { id: hold.id, expiresAt: new Date(hold.expires_at) };
        break;
      }
      case 'END_ADMITTED':
        if (bed.status === 'RESERVED') await this.beds.endHold(m, bed.id, 'ADMITTED');
        break;
      case 'END_RELEASED':
        await this.beds.endHold(m, bed.id, 'RELEASED');
        break;
      case 'END_EXPIRED':
        await this.beds.endHold(m, bed.id, 'EXPIRED');
        break;
      case null:
        break;
    }
    if (rule.stay === 'CLOSE') await this.beds.endStay(m, bed.id, input.reason ?? null);
    if (rule.stay === 'OPEN' && nextResident) await this.beds.startStay(m, bed.id, nextResident);
    if (rule.waitlist === 'LAPSE_OFFER' && bed.resident_id) await this.waitlist.lapseOffer(m, bed.id, bed.resident_id);
    if (rule.waitlist === 'ADMITTED' && nextResident) await this.waitlist.markAdmitted(m, nextResident);
    // A resident belongs to the facility they live in, so its managers see the record.
    if (rule.movesResident && nextResident) await this.residents.moveTo(m, nextResident, bed.facility_id);

    tx.afterCommit(() => this.followUp(moved, placed, rule.offersBed));
    return { bed: moved, hold: placed };
  }

  private afterAnswer(work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((error: unknown) => this.logger.warn(`a bed change's follow-up failed: ${(error as Error).message}`))
      .finally(() => this.followUps.delete(tracked));
    this.followUps.add(tracked);
  }

  /**
   * After a commit: the board hears of the bed, a new hold's expiry is scheduled, and a bed left
   * available is offered to the waiting list.
   */
  private async followUp(bed: BedRow, hold: PlacedHold | null, offer: boolean): Promise<void> {
    // Independent Redis calls, sent together: one round trip of waiting instead of up to three.
    await Promise.all([
      this.board.publish(toBedView(bed)),
      hold ? this.jobs.expireHoldAt(hold.id, hold.expiresAt) : undefined,
      offer ? this.jobs.offerBed(bed.id, bed.version) : undefined,
    ]);
  }
}

/** The contract's error for a refusal of the state machine. */
function refusalError(refusal: BedRefusal): BedInventoryError {
  return refusal.refused === 'BED_NOT_AVAILABLE' ? BedInventoryError.bedNotAvailable() : BedInventoryError.illegalTransition(refusal.action, refusal.from);
}

/** SQLSTATE of `bed_act`'s refusals; the message is the contract code, the detail JSON figures. */
const REFUSAL = 'BD000';

/** Turns a refusal of `bed_act`, or a lost race caught by a unique index, into the contract's error. */
function translateBedError(error: unknown): unknown {
  const constraint = violatedConstraint(error);
  if (constraint === 'uq_stays_active_resident' || constraint === 'uq_beds_occupant') return BedInventoryError.residentAlreadyAdmitted();
  if (constraint === 'uq_stays_active_bed' || constraint === 'uq_holds_active_bed') return BedInventoryError.bedNotAvailable();
  if (constraint === 'uq_holds_active_resident') return BedInventoryError.residentAlreadyHeld();
  if (sqlState(error) !== REFUSAL) return error;
  const source = error as { message?: string; detail?: string; driverError?: { message?: string; detail?: string } };
  const code = source.driverError?.message ?? source.message ?? '';
  const rawDetail = source.driverError?.detail ?? source.detail;
  const detail = (typeof rawDetail === 'string' && rawDetail.length > 0 ? JSON.parse(rawDetail) : {}) as Record<string, unknown>;
  const text = (name: string): string => (typeof detail[name] === 'string' ? detail[name] : '');
  switch (code) {
    case 'NOT_FOUND':
      return CommonError.notFound(text('what'));
    case 'FORBIDDEN':
      return CommonError.forbidden(text('message'));
    case 'VERSION_MISMATCH':
      return CommonError.versionMismatch();
    case 'BED_NOT_AVAILABLE':
      return BedInventoryError.bedNotAvailable();
    case 'ILLEGAL_TRANSITION':
      return BedInventoryError.illegalTransition(text('action'), text('from'));
    case 'RESIDENT_ALREADY_ADMITTED':
      return BedInventoryError.residentAlreadyAdmitted();
    case 'RESIDENT_ALREADY_HELD':
      return BedInventoryError.residentAlreadyHeld();
    case 'RESIDENT_REQUIRED':
      return CommonError.validation('residentId is required.', [{ field: 'residentId', message: 'is required' }]);
    case 'EXPECTED_RETURN_REQUIRED':
      return CommonError.validation('expectedReturnOn is required.', [{ field: 'expectedReturnOn', message: 'is required' }]);
    default:
      return error;
  }
}
