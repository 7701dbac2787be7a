import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationKind, NotificationOutbox, NotificationSources } from '@app/notifications';
import { APP_CONFIG, type AppConfig, canManageFacility, CommonError, hasRole, type Principal, Role, sqlState, TransactionRunner, violatedConstraint } from '@app/platform';
import { BedBoard } from './bed-board';
import { BedInventoryError } from './bed-inventory.errors';
import { BedInventoryJobs } from './bed-inventory.jobs';
import { type BedAction, type BedStatus, type CareLevel, isTaken, nextStatus } from './bed-state';
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

/** What a committed transaction asks to happen next: live updates and jobs. */
interface AfterCommit {
  changed: BedRow[];
  holds: { id: string; expiresAt: Date }[];
}

interface ActionInput {
  residentId?: string;
  reason?: string;
  holdMinutes?: number;
  expectedReturnOn?: string;
}

/** Actions that place someone in a bed: refused as "not available" when someone else has it. */
const TAKING: ReadonlySet<BedAction> = new Set(['HOLD', 'ADMIT', 'TRANSFER_IN']);

/**
 * The bed state machine. Each action reads the bed, checks the move against the transition
 * table, and moves it with one conditional UPDATE (`WHERE version = $v AND status = $from`):
 * when another change got there first no row matches, and the caller gets 412 or 409. Stays,
 * holds and history rows are written in the same transaction; the partial unique indexes on
 * stays and holds turn a lost race into a constraint violation, translated to the contract's
 * codes. The bed board and the jobs hear about a change only after it committed.
 */
@Injectable()
export class BedsService implements OnModuleInit {
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
  }

  /** 404 when the facility does not exist, 403 when the caller does not manage it. */
  async assertManages(principal: Principal, facilityId: string, manager?: EntityManager): Promise<void> {
    const facility = await this.facilities.findById(facilityId, manager);
    if (!facility) throw CommonError.notFound('facility');
    if (!canManageFacility(principal, facilityId)) throw CommonError.forbidden('You do not manage this facility.');
  }

  async addBeds(principal: Principal | null, facilityId: string, beds: NewBed[]): Promise<BedView[]> {
    const codes = new Set(beds.map((b) => b.code.trim()));
    if (codes.size !== beds.length) throw BedInventoryError.duplicateBedCode();
    const rows = await this.tx
      .run(async (m) => {
        const facility = await this.facilities.findById(facilityId, m);
        if (!facility) throw CommonError.notFound('facility');
        if (principal && !canManageFacility(principal, facilityId)) throw CommonError.forbidden('You do not manage this facility.');
        if (facility.kind === 'CARE_CENTRE') throw BedInventoryError.noBedsInCareCentre();
        return this.beds.insertMany(m, facilityId, beds.map((b) => ({ ...b, code: b.code.trim(), room: b.room.trim() })), principal?.id ?? null);
      })
      .catch((error: unknown) => {
        if (violatedConstraint(error) === 'uq_beds_facility_code') throw BedInventoryError.duplicateBedCode();
        throw error;
      });
    await this.afterCommit({ changed: rows, holds: [] });
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
    const bed = await this.visibleBed(principal, bedId);
    return toBedView(bed);
  }

  async history(principal: Principal, bedId: string, limit: number, offset: number): Promise<{ items: BedEventView[]; total: number }> {
    await this.visibleBed(principal, bedId);
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
    if (at.getTime() > now + CLOCK_SKEW_MS) throw CommonError.validation('at must not be in the future.', [{ field: 'at', message: 'must not be in the future' }]);
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
  async act(actor: Actor, bedId: string, action: Exclude<BedAction, 'TRANSFER_OUT' | 'TRANSFER_IN' | 'EXPIRE'>, ifMatch: number | null | undefined, input: ActionInput = {}): Promise<BedView> {
    if (action === 'LEAVE') checkExpectedReturn(input.expectedReturnOn ?? '');
    const system = actor === 'SYSTEM';
    const admin = !system && hasRole(actor, Role.ADMIN);
    const moved = await this.beds
      .act({
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
    await this.afterCommit({ changed: [moved.bed], holds: moved.hold ? [moved.hold] : [] });
    return toBedView(moved.bed);
  }

  /** Moves the resident of one bed to another in one transaction: source → CLEANING, target → OCCUPIED. */
  async transfer(actor: Principal, bedId: string, toBedId: string, ifMatch: number | null | undefined): Promise<{ from: BedView; to: BedView }> {
    if (bedId === toBedId) throw CommonError.validation('A bed cannot be transferred to itself.', [{ field: 'toBedId', message: 'must be another bed' }]);
    const after: AfterCommit = { changed: [], holds: [] };
    const result = await this.run(async (m) => {
      after.changed = [];
      after.holds = [];
      await this.beds.lockInOrder(m, [bedId, toBedId]);
      const source = await this.loadForAction(m, actor, bedId, ifMatch);
      const target = await this.beds.findById(m, toBedId);
      if (!target) throw CommonError.notFound('target bed');
      if (!canManageFacility(actor, target.facility_id)) throw CommonError.forbidden('You do not manage the facility of the target bed.');
      if (nextStatus(source.status, 'TRANSFER_OUT') === null) throw BedInventoryError.illegalTransition('transfer', source.status);
      const residentId = source.resident_id;
      if (!residentId) throw new Error('occupied bed without resident');
      const reason = `transfer ${source.code} → ${target.code}`;
      await this.beds.endStay(m, source.id, reason);
      const from = await this.apply(m, actor, source, 'TRANSFER_OUT', ifMatch ?? source.version, { residentId, reason }, after, ifMatch !== undefined);
      const to = await this.apply(m, actor, target, 'TRANSFER_IN', target.version, { residentId, reason }, after);
      return { from, to };
    });
    await this.afterCommit(after);
    return { from: toBedView(result.from), to: toBedView(result.to) };
  }

  /**
   * Ends a hold whose time is up; a no-op when it already ended (a job may run twice) and when
   * it is not due yet (the sweep or a retry comes back later). Returns whether the bed moved.
   */
  async expireHold(holdId: string): Promise<boolean> {
    const after: AfterCommit = { changed: [], holds: [] };
    const moved = await this.run(async (m) => {
      after.changed = [];
      const hold = await this.beds.findHold(m, holdId);
      if (!hold || hold.ended_at !== null || !hold.due) return false;
      const bed = await this.beds.findById(m, hold.bed_id);
      if (!bed || bed.status !== 'RESERVED' || bed.resident_id !== hold.resident_id) return false;
      await this.apply(m, 'SYSTEM', bed, 'EXPIRE', bed.version, { residentId: hold.resident_id, reason: 'hold expired' }, after);
      return true;
    });
    await this.afterCommit(after);
    return moved;
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
    const after: AfterCommit = { changed: [], holds: [] };
    const offered = await this.run(async (m) => {
      after.changed = [];
      after.holds = [];
      await this.beds.lockInOrder(m, [bedId]);
      const bed = await this.beds.findById(m, bedId);
      if (!bed || bed.status !== 'AVAILABLE') return null;
      const head = await this.waitlist.head(m, bed.facility_id, bed.care_level);
      if (!head) return null;
      await this.apply(m, 'SYSTEM', bed, 'HOLD', bed.version, { residentId: head.resident_id, reason: 'offered to the head of the waiting list' }, after);
      await this.waitlist.markOffered(m, head.id, bed.id);
      const hold = after.holds[after.holds.length - 1];
      if (hold) await this.notifyOffer(m, hold, bed, head.resident_id);
      return head.id;
    });
    await this.afterCommit(after);
    return offered;
  }

  /**
   * Ends, inside the caller's transaction (the bed already locked), the hold a waiting-list offer
   * placed for the resident; a no-op when the bed is no longer held for them. Returns the bed as
   * moved, for `announce` once the transaction committed.
   */
  async releaseOffer(m: EntityManager, actor: Principal, bedId: string, residentId: string, reason: string): Promise<BedRow | null> {
    const bed = await this.beds.findById(m, bedId);
    if (!bed || bed.status !== 'RESERVED' || bed.resident_id !== residentId) return null;
    const moved = await this.beds
      .act({ bedId, action: 'RELEASE', ifMatch: null, facilityIds: null, actorId: actor.id, residentId: null, reason, holdSeconds: null }, m)
      .catch((error: unknown) => {
        throw translateBedError(error);
      });
    return moved.bed;
  }

  /** After a commit: the board hears of the beds, and a bed left available is offered to the waiting list. */
  async announce(changed: BedRow[]): Promise<void> {
    await this.afterCommit({ changed, holds: [] });
  }

  /**
   * Tells the resident's senior account (the user with the same ID number, if there is one) and
   * its linked relatives that a bed is held for them, in the offer's transaction: once per hold.
   */
  private async notifyOffer(m: EntityManager, hold: { id: string; expiresAt: Date }, bed: BedRow, residentId: string): Promise<void> {
    const rows: { idCardHash: string; facility: string }[] = await m.query(
      `SELECT r.id_card_hash AS "idCardHash", f.name AS facility FROM residents r, facilities f WHERE r.id = $1 AND f.id = $2`,
      [residentId, bed.facility_id],
    );
    const found = rows[0];
    if (!found) return;
    await this.notifications.record(m, [
      {
        kind: NotificationKind.BED_OFFERED,
        eventKey: `bed-offer:${hold.id}`,
        to: { idCardHash: found.idCardHash },
        params: { facility: found.facility, bed: bed.code, at: hold.expiresAt.toISOString() },
        link: '/notifications',
      },
    ]);
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
          link: '/notifications',
        })),
      );
    });
  }

  private async run<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.tx.run(work);
    } catch (error) {
      throw translateBedError(error);
    }
  }

  private async visibleBed(principal: Principal, bedId: string, manager?: EntityManager): Promise<BedRow> {
    const bed = manager ? await this.beds.findById(manager, bedId) : await this.beds.findByIdPlain(bedId);
    if (!bed) throw CommonError.notFound('bed');
    if (!canManageFacility(principal, bed.facility_id)) throw CommonError.forbidden('You do not manage the facility of this bed.');
    return bed;
  }

  private async loadForAction(m: EntityManager, actor: Actor, bedId: string, ifMatch: number | null | undefined): Promise<BedRow> {
    const bed = actor === 'SYSTEM' ? await this.beds.findById(m, bedId) : await this.visibleBed(actor, bedId, m);
    if (!bed) throw CommonError.notFound('bed');
    if (ifMatch === null || (ifMatch !== undefined && ifMatch !== bed.version)) throw CommonError.versionMismatch();
    return bed;
  }

  /** The error for an action that the bed's current state does not allow, if any. */
  private refusal(bed: BedRow, action: BedAction, residentId: string | undefined): BedInventoryError | null {
    if (action === 'ADMIT' && bed.status === 'RESERVED' && bed.resident_id !== residentId) return BedInventoryError.bedNotAvailable();
    if (action === 'TRANSFER_IN' && bed.status === 'RESERVED' && bed.resident_id !== residentId) return BedInventoryError.bedNotAvailable();
    if (nextStatus(bed.status, action) !== null) return null;
    if (TAKING.has(action) && isTaken(bed.status)) return BedInventoryError.bedNotAvailable();
    return BedInventoryError.illegalTransition(action.toLowerCase(), bed.status);
  }

  private async apply(
    m: EntityManager,
    actor: Actor,
    bed: BedRow,
    action: BedAction,
    version: number,
    input: ActionInput,
    after: AfterCommit,
    ifMatchGiven = false,
  ): Promise<BedRow> {
    const residentId = input.residentId;
    const refused = this.refusal(bed, action, residentId);
    if (refused) throw refused;
    const to = nextStatus(bed.status, action);
    if (to === null) throw BedInventoryError.illegalTransition(action.toLowerCase(), bed.status);

    if (action === 'HOLD' || action === 'ADMIT') {
      if (!residentId) throw CommonError.validation('residentId is required.', [{ field: 'residentId', message: 'is required' }]);
      const resident = await this.residents.findById(residentId, m);
      if (!resident || (actor !== 'SYSTEM' && !canManageFacility(actor, resident.facility_id))) throw CommonError.notFound('resident');
      if (await this.beds.residentHasStay(m, residentId)) throw BedInventoryError.residentAlreadyAdmitted();
      const hold = await this.beds.activeHoldOfResident(m, residentId);
      if (hold && hold.bed_id !== bed.id) throw BedInventoryError.residentAlreadyHeld();
    }

    let nextResident: string | null;
    let holdSeconds: number | null = null;
    switch (to) {
      case 'RESERVED':
        nextResident = residentId ?? null;
        holdSeconds = (input.holdMinutes ?? this.config.bedHoldMinutesDefault) * 60;
        break;
      case 'OCCUPIED':
        nextResident = residentId ?? null;
        break;
      case 'ON_LEAVE':
        // Never reached: leave and return go through bed_act, which keeps the resident.
        nextResident = bed.resident_id;
        break;
      case 'AVAILABLE':
      case 'CLEANING':
      case 'MAINTENANCE':
        nextResident = null;
        break;
    }

    const moved = await this.beds.transition(
      m,
      { id: bed.id, version, from: bed.status, to, residentId: nextResident, holdSeconds },
      { actorId: actor === 'SYSTEM' ? null : actor.id, action, residentId: nextResident ?? bed.resident_id, reason: input.reason ?? null },
    );
    if (!moved) {
      // Another change committed first. With If-Match the caller's view is stale (412);
      // without, the bed's state now decides the answer, exactly as if this request came second.
      if (ifMatchGiven) throw CommonError.versionMismatch();
      const now = await this.beds.findById(m, bed.id);
      if (!now) throw CommonError.notFound('bed');
      throw this.refusal(now, action, residentId) ?? CommonError.versionMismatch();
    }

    switch (action) {
      case 'HOLD': {
        const hold = await this.beds.insertHold(m, moved);
        after.holds.push({ id: hold.id, expiresAt: new Date(hold.expires_at) });
        break;
      }
      case 'RELEASE':
      case 'EXPIRE':
        await this.beds.endHold(m, bed.id, action === 'RELEASE' ? 'RELEASED' : 'EXPIRED');
        if (bed.resident_id) await this.waitlist.lapseOffer(m, bed.id, bed.resident_id);
        break;
      case 'ADMIT':
      case 'TRANSFER_IN':
        if (bed.status === 'RESERVED') await this.beds.endHold(m, bed.id, 'ADMITTED');
        await this.beds.startStay(m, bed.id, nextResident ?? '');
        await this.waitlist.markAdmitted(m, nextResident ?? '');
        // A resident belongs to the facility they live in, so its managers see the record.
        await this.residents.moveTo(m, nextResident ?? '', bed.facility_id);
        break;
      case 'DISCHARGE':
        await this.beds.endStay(m, bed.id, input.reason ?? null);
        break;
      case 'TRANSFER_OUT':
      case 'CLEANED':
      case 'MAINTENANCE':
      case 'REOPEN':
      case 'LEAVE':
      case 'RETURN':
        break;
    }

    after.changed.push(moved);
    return moved;
  }

  private async afterCommit(after: AfterCommit): Promise<void> {
    await Promise.all(after.changed.map((bed) => this.board.publish(toBedView(bed))));
    await Promise.all(after.holds.map((hold) => this.jobs.expireHoldAt(hold.id, hold.expiresAt)));
    await Promise.all(after.changed.filter((bed) => bed.status === 'AVAILABLE').map((bed) => this.jobs.offerBed(bed.id, bed.version)));
  }
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
