import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountRemovals } from '@app/identity';
import { APP_CONFIG, type AppConfig, CommonError, type Principal, requestHash, TransactionRunner } from '@app/platform';
import { type NotificationEvent, NotificationKind, NotificationOutbox, NotificationSources } from '@app/notifications';
import { RedemptionEntity } from './redemption.entity';
import { LedgerRepository } from './ledger.repository';
import { StaffScope } from './staff-scope';
import { TimeBankError } from './time-bank.errors';
import { BOOKING_SETTLE_REMINDER_HOURS, SWEEP_BATCH } from './time-bank.rules';
import { BookingCancelReason, type RedemptionStatus, type ServiceType } from './time-bank.types';

export interface NewRedemption {
  serviceType: ServiceType;
  minutes: number;
  scheduledFor: string;
  note?: string;
}

export interface RedemptionView {
  id: string;
  accountId: string;
  userId: string;
  serviceType: ServiceType;
  minutes: number;
  scheduledFor: string;
  note: string | null;
  status: RedemptionStatus;
  /** Why staff cancelled it, when they said (null otherwise). */
  cancelReason: BookingCancelReason | null;
  /** When it was given or cancelled (null while held). */
  decidedAt: string | null;
  createdAt: string;
}

/** A booking with whose it is: as staff list it, and as one is read. */
export interface NamedRedemptionView extends RedemptionView {
  holderName: string;
}

/** A booking as the lists and `find` read it: its columns, and its holder's name. */
type RedemptionRow = Omit<RedemptionEntity, 'decidedBy'> & { holderName: string };

const REDEMPTION_SELECT = `SELECT r.id, r.account_id AS "accountId", r.user_id AS "userId", r.service_type AS "serviceType", r.minutes,
    r.scheduled_for AS "scheduledFor", r.note, r.status, r.cancel_reason AS "cancelReason", r.decided_at AS "decidedAt",
    r.created_at AS "createdAt", u.name AS "holderName"
  FROM time_bank_redemptions r JOIN users u ON u.id = r.user_id`;

function toNamedView(row: RedemptionRow): NamedRedemptionView {
  return { ...toRedemptionView(row), holderName: row.holderName };
}

export function toRedemptionView(row: Omit<RedemptionEntity, 'decidedBy'>): RedemptionView {
  return {
    id: row.id,
    accountId: row.accountId,
    userId: row.userId,
    serviceType: row.serviceType,
    minutes: row.minutes,
    scheduledFor: new Date(row.scheduledFor).toISOString(),
    note: row.note,
    status: row.status,
    cancelReason: row.cancelReason,
    decidedAt: row.decidedAt ? new Date(row.decidedAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** The reminder to settle a booking (`BOOKING_UNSETTLED`), one per booking. */
function unsettledKey(id: string): string {
  return `booking-unsettled:${id}`;
}

/** Idempotency scope of redemption requests: a key is remembered per user and per endpoint. */
export const REDEMPTION_SCOPE = 'time-bank:redemptions';

/**
 * Redemption in two phases, like a pending transfer: booking holds the minutes (available =
 * balance − held), completion posts them to the issuer, cancellation releases the hold.
 */
@Injectable()
export class RedemptionsService implements OnModuleInit {
  private readonly logger = new Logger(RedemptionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffScope,
    private readonly notifications: NotificationOutbox,
    private readonly sources: NotificationSources,
    private readonly accountRemovals: AccountRemovals,
  ) {}

  onModuleInit(): void {
    this.sources.register('booking-unsettled', (now) => this.remindUnsettled(now));
    this.accountRemovals.use(async (manager, userId, removedBy) => {
      await this.cancelComingOf(manager, userId, removedBy);
    });
  }

  /**
   * Cancels the bookings `userId` holds whose time is still to come, in the caller's transaction,
   * as the account is removed: nobody is to be sent to give them, and the minutes come back onto
   * the account (kept, should it be restored). Through `time_bank_cancel`, as staff cancel one,
   * by the administrator (`by`), each in one round trip. A booking whose time has come stays
   * held: it may have been given, and staff record it as given or cancel it, as for anyone.
   */
  async cancelComingOf(manager: EntityManager, userId: string, by: string): Promise<number> {
    const coming = await manager.query<{ id: string }[]>(
      `SELECT id FROM time_bank_redemptions WHERE user_id = $1 AND status = 'HELD' AND scheduled_for > now() ORDER BY id FOR UPDATE`,
      [userId],
    );
    for (const { id } of coming) await this.ledger.cancel(id, by, true, BookingCancelReason.OTHER, manager);
    return coming.length;
  }

  /**
   * Brings up once each booking still held `BOOKING_SETTLE_REMINDER_HOURS` after its time, to the
   * staff who give it (the managers of the holder's care centres, else every administrator), with
   * a link to its page on their desk. `settle_reminded_at` is set in the same transaction, a batch
   * at a time, skipping rows another worker holds, so each booking is brought up once.
   */
  async remindUnsettled(now: Date, batch = SWEEP_BATCH): Promise<number> {
    return this.transactions.run(async (manager) => {
      // The interval is a literal, not a parameter, so that the sweep's partial index matches. An UPDATE answers [rows, count].
      const [rows]: [{ id: string; userId: string; serviceType: ServiceType; minutes: number; scheduledFor: Date; holderName: string }[], number] =
        await manager.query(
          `WITH due AS MATERIALIZED (
             SELECT id FROM time_bank_redemptions
              WHERE status = 'HELD' AND settle_reminded_at IS NULL
                AND scheduled_for <= $1::timestamptz - interval '${BOOKING_SETTLE_REMINDER_HOURS} hours'
              ORDER BY scheduled_for LIMIT $2 FOR UPDATE SKIP LOCKED)
           UPDATE time_bank_redemptions r SET settle_reminded_at = $1::timestamptz FROM due, users u
            WHERE r.id = due.id AND u.id = r.user_id AND r.status = 'HELD' AND r.settle_reminded_at IS NULL
           RETURNING r.id, r.user_id AS "userId", r.service_type AS "serviceType", r.minutes, r.scheduled_for AS "scheduledFor", u.name AS "holderName"`,
          [now.toISOString(), batch],
        );
      const events: NotificationEvent[] = [];
      for (const booking of rows) {
        for (const to of await this.staff.staffOf(booking.userId, booking.userId)) {
          events.push({
            kind: NotificationKind.BOOKING_UNSETTLED,
            eventKey: unsettledKey(booking.id),
            to,
            params: {
              holder: booking.holderName,
              serviceType: booking.serviceType,
              minutes: booking.minutes,
              at: new Date(booking.scheduledFor).toISOString(),
            },
            link: `/time-bank/bookings/${booking.id}`,
          });
        }
      }
      await this.notifications.record(manager, events);
      return rows.length;
    });
  }

  /**
   * Once a booking is settled, its reminder asks nothing more: read in every inbox, its texts not
   * yet sent ended. Only a booking whose time is long enough past can have one (a margin of an hour
   * for the clocks). After the ledger's one statement, on its own: the booking is settled whether
   * or not the reminder is, and a failure here leaves only a message asking for what is done.
   */
  private async settleReminder(booking: RedemptionView): Promise<void> {
    if (Date.parse(booking.scheduledFor) > Date.now() - (BOOKING_SETTLE_REMINDER_HOURS - 1) * 3_600_000) return;
    await this.notifications.settle(this.dataSource.manager, [unsettledKey(booking.id)]).catch((error: unknown) => {
      this.logger.warn({ msg: 'the reminder to settle a booking was not settled', redemptionId: booking.id, error: (error as Error).message });
    });
  }

  /**
   * Books a redemption and holds its minutes through `time_bank_hold`, grouped with concurrent ones by `time_bank_batch` (key, age, available
   * minutes on the locked account, redemption, hold); a retry with the same key returns the first answer.
   */
  async book(userId: string, input: NewRedemption, key: string | undefined): Promise<{ status: number; body: RedemptionView }> {
    const minAge = this.config.timeBankRedemptionMinAge;
    const answer = await this.ledger.hold({
      user: userId,
      key: key ?? null,
      hash: requestHash({ ...input }),
      serviceType: input.serviceType,
      minutes: input.minutes,
      scheduledFor: new Date(input.scheduledFor).toISOString(),
      note: input.note ?? null,
      bornBy: latestBirthDateOfAge(minAge),
      minAge,
    });
    // The answer `time_bank_hold` keeps for a retry predates cancel reasons and decisions; a new booking has neither.
    return { status: answer.status, body: { ...(answer.body as unknown as RedemptionView), cancelReason: null, decidedAt: null } };
  }

  async find(principal: Principal, id: string): Promise<NamedRedemptionView> {
    const [row] = await this.dataSource.query<RedemptionRow[]>(`${REDEMPTION_SELECT} WHERE r.id = $1`, [id]);
    if (!row || !(row.userId === principal.id || (await this.staff.actsFor(principal, row.userId)))) throw CommonError.notFound('redemption');
    return toNamedView(row);
  }

  /**
   * The holder's own bookings, a page at a time: those still held first, soonest first (what is
   * coming), then the others, latest first. `status` keeps one kind.
   */
  async mine(
    userId: string,
    options: { status?: RedemptionStatus; decidedSince?: string; limit: number; offset: number },
  ): Promise<{ items: RedemptionView[]; total: number }> {
    const page = await this.listed(
      {
        where: `r.user_id = $1 AND ($2::varchar IS NULL OR r.status = $2) AND ($3::timestamptz IS NULL OR r.decided_at >= $3)`,
        params: [userId, options.status ?? null, options.decidedSince ?? null],
      },
      `(r.status = 'HELD') DESC, CASE WHEN r.status = 'HELD' THEN r.scheduled_for END, r.scheduled_for DESC, r.id`,
      options.limit,
      options.offset,
    );
    return { items: page.items.map(toRedemptionView), total: page.total };
  }

  /**
   * The bookings still held that the principal may complete or cancel as staff (an
   * administrator: all; a manager: the seniors of their care centres), soonest first, each with
   * its holder's name; never the principal's own.
   */
  async toDeliver(principal: Principal, limit: number, offset: number): Promise<{ items: NamedRedemptionView[]; total: number }> {
    const people = await this.staff.people(principal);
    const page = await this.listed(
      {
        where: `r.status = 'HELD' AND r.user_id <> $1 AND ($2::uuid[] IS NULL OR r.user_id = ANY ($2::uuid[]))`,
        params: [principal.id, people === 'all' ? null : people],
      },
      'r.scheduled_for, r.id',
      limit,
      offset,
    );
    return { items: page.items.map(toNamedView), total: page.total };
  }

  /** A page of the bookings matching `filter`, in `order`, and how many match (as the services' lists are read). */
  private async listed(
    filter: { where: string; params: unknown[] },
    order: string,
    limit: number,
    offset: number,
  ): Promise<{ items: RedemptionRow[]; total: number }> {
    const next = filter.params.length + 1;
    const [items, count] = await Promise.all([
      this.dataSource.query<RedemptionRow[]>(`${REDEMPTION_SELECT} WHERE ${filter.where} ORDER BY ${order} LIMIT $${next} OFFSET $${next + 1}`, [
        ...filter.params,
        limit,
        offset,
      ]),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM time_bank_redemptions r WHERE ${filter.where}`, filter.params),
    ]);
    return { items, total: count[0]?.total ?? 0 };
  }

  /** Takes the held minutes: a REDEEM transfer to the issuer that also ends the hold (`time_bank_complete`). Repeats are answered, not repeated. */
  async complete(principal: Principal, id: string): Promise<RedemptionView> {
    const privileged = await this.staff.actsFor(principal, () => this.ledger.redemptionHolder(id));
    const completed = toRedemptionView(await this.ledger.complete(id, principal.id, privileged));
    await this.settleReminder(completed);
    return completed;
  }

  /**
   * Releases the hold (`time_bank_cancel`); the owner or staff for the owner (StaffScope) may
   * cancel, staff saying why (`reason`, which she is told). Repeats are answered, not repeated:
   * the first cancel's reason stays.
   */
  async cancel(principal: Principal, id: string, reason: BookingCancelReason | null = null): Promise<RedemptionView> {
    const privileged = await this.staff.actsFor(principal, () => this.ledger.redemptionHolder(id));
    if (!privileged) await this.refuseWhenDue(principal.id, id);
    const cancelled = toRedemptionView(await this.ledger.cancel(id, principal.id, privileged, reason));
    await this.settleReminder(cancelled);
    return cancelled;
  }

  /**
   * Once a booking's time has come, its holder (and whoever acts as her) may no longer cancel it:
   * the service may have been given, and taking the minutes back then would be a service paid for
   * by nobody. Staff, who give it, record it as given or cancel it. Anything else (not hers, not
   * held) is left for the ledger to answer as it always has.
   */
  private async refuseWhenDue(holderId: string, id: string): Promise<void> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT scheduled_for <= now() AS due FROM time_bank_redemptions WHERE id = $1 AND user_id = $2 AND status = 'HELD'`,
      [id, holderId],
    );
    if (row?.due) throw TimeBankError.cancelWindowClosed();
  }
}

/**
 * The latest birth date (YYYY-MM-DD) of someone aged at least `years` today, counted as `ageOn`
 * counts (UTC calendar date): born on or before it means old enough.
 */
export function latestBirthDateOfAge(years: number, on: Date = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${String(on.getUTCFullYear() - years).padStart(4, '0')}-${pad(on.getUTCMonth() + 1)}-${pad(on.getUTCDate())}`;
}
