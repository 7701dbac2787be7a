import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig, CommonError, columns, hasRole, type Principal, Role, TransactionRunner, violatedConstraint } from '@app/platform';
import { UsersService } from '@app/identity';
import { type Addressee, type NotificationEvent, NotificationKind, NotificationOutbox, type NotificationParams, NotificationSources } from '@app/notifications';
import { StaffScope } from './staff-scope';
import { SERVICE_FIELDS, VolunteerServiceEntity } from './volunteer-service.entity';
import { LedgerRepository, translateLedgerError } from './ledger.repository';
import { TimeBankError } from './time-bank.errors';
import { SWEEP_BATCH } from './time-bank.rules';
import { type ReviewOutcome, ServiceStatus, type ServiceType } from './time-bank.types';

/** How far in the future a service may start when recorded (clock skew between devices). */
export const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;

/**
 * How long after it started a service may still be recorded. Minutes are credited on the elder's
 * word alone, and an elder asked to confirm an afternoon of months ago cannot say whether it
 * happened; the period reports, which count a service when it is credited, would show it as that
 * month's work. The table's trigger (migration `1764400880000-time-bank-service-record-window`)
 * holds the same.
 */
export const SERVICE_RECORD_WINDOW_DAYS = 30;
const SERVICE_RECORD_WINDOW_MS = SERVICE_RECORD_WINDOW_DAYS * 24 * 60 * 60 * 1000;

/** Whether a service that started at `startedAt` may still be recorded at `now`. */
export function withinRecordWindow(startedAt: Date | string, now = Date.now()): boolean {
  return new Date(startedAt).getTime() >= now - SERVICE_RECORD_WINDOW_MS;
}

/**
 * How long after its elder turned a service down its volunteer may ask staff to review it (once).
 * Long enough to be told and to answer; short enough that staff can still ask the elder and the
 * relatives what happened. The table's trigger (migration `1764400901000-time-bank-service-review`)
 * holds the same.
 */
export const SERVICE_REVIEW_WINDOW_DAYS = 14;
const SERVICE_REVIEW_WINDOW_MS = SERVICE_REVIEW_WINDOW_DAYS * 24 * 60 * 60 * 1000;

export interface NewServiceRecord {
  recipientId: string;
  serviceType: ServiceType;
  startedAt: string;
  durationMinutes: number;
  note?: string;
}

/** What a confirmation credited: to the volunteer, and beyond the cap to the pool. */
export interface ServiceRecordView {
  id: string;
  volunteerId: string;
  recipientId: string;
  serviceType: ServiceType;
  startedAt: string;
  durationMinutes: number;
  note: string | null;
  status: ServiceStatus;
  rejectReason: string | null;
  requestId: string | null;
  /** When it was logged (how long it has waited, for a service still waiting). */
  loggedAt: string;
  /** The volunteer's request for a review of a rejection, and staff's decision once made; null if none was asked for. */
  review: ServiceReviewView | null;
  /** While the service is turned down and was never reviewed: until when its volunteer may ask for a review. */
  reviewableUntil: string | null;
  /** In a single read (`find`) and the elder's list: who gave it, by name, so that the elder asked to confirm knows whom it is about. */
  volunteer?: { name: string };
  /** In a single read and the volunteer's list: whom it was for, by name. */
  recipient?: { name: string };
  /** In a single read: the member of staff who confirmed or turned it down for the elder, by name (absent when the elder's own word decided it). */
  decidedBy?: { name: string };
}

export interface ServiceReviewView {
  reason: string;
  requestedAt: string;
  outcome: ReviewOutcome | null;
  note: string | null;
  decidedAt: string | null;
}

function reviewOf(record: VolunteerServiceEntity): ServiceReviewView | null {
  if (record.reviewReason === null || record.reviewRequestedAt === null) return null;
  return {
    reason: record.reviewReason,
    requestedAt: record.reviewRequestedAt.toISOString(),
    outcome: record.reviewOutcome,
    note: record.reviewNote,
    decidedAt: record.reviewedAt?.toISOString() ?? null,
  };
}

function reviewableUntil(record: VolunteerServiceEntity): string | null {
  if (record.status !== ServiceStatus.REJECTED || record.reviewRequestedAt !== null || record.decidedAt === null) return null;
  return new Date(record.decidedAt.getTime() + SERVICE_REVIEW_WINDOW_MS).toISOString();
}

export function toServiceRecordView(record: VolunteerServiceEntity): ServiceRecordView {
  return {
    id: record.id,
    volunteerId: record.volunteerId,
    recipientId: record.recipientId,
    serviceType: record.serviceType,
    startedAt: record.startedAt.toISOString(),
    durationMinutes: record.durationMinutes,
    note: record.note,
    status: record.status,
    rejectReason: record.rejectReason,
    requestId: record.requestId,
    loggedAt: record.createdAt.toISOString(),
    review: reviewOf(record),
    reviewableUntil: reviewableUntil(record),
  };
}

/**
 * How long after a service was logged, still waiting for its elder, it is brought up once more
 * (`SERVICE_UNCONFIRMED`, to the elder and their relatives). The first message may have been
 * missed: texts off, no phone, a message lost among others.
 */
export const SERVICE_CONFIRM_REMINDER_DAYS = 3;

/**
 * How long after it was asked for a review still undecided is brought up once more, to the staff
 * first asked and to every administrator.
 */
export const SERVICE_REVIEW_REMINDER_DAYS = 3;

const SERVICE_COLUMNS = columns<VolunteerServiceEntity>(SERVICE_FIELDS, 's');

/** The events that ask for a service's confirmation: when logged, and the reminder; settled once the service is decided. */
function toConfirmKey(serviceId: string): string {
  return `service-to-confirm:${serviceId}`;
}
function unconfirmedKey(serviceId: string): string {
  return `service-unconfirmed:${serviceId}`;
}
/** The events that ask staff to review a service, when asked for and once more later; settled once they decide. */
function reviewRequestedKey(serviceId: string): string {
  return `service-review-requested:${serviceId}`;
}
function reviewWaitingKey(serviceId: string): string {
  return `service-review-waiting:${serviceId}`;
}

/** What a message about a service says of it: what, how long, when. */
function serviceParams(service: VolunteerServiceEntity): NotificationParams {
  return { serviceType: service.serviceType, minutes: service.durationMinutes, at: service.startedAt.toISOString() };
}

/** Asks `to` to decide the review of `service` (its decision page). */
function reviewRequestEvent(service: VolunteerServiceEntity, eventKey: string, to: Addressee): NotificationEvent {
  return {
    kind: NotificationKind.SERVICE_REVIEW_REQUESTED,
    eventKey,
    to,
    params: serviceParams(service),
    link: `/time-bank/reviews/${service.id}`,
  };
}

/**
 * Marks each service in `due.status` whose `due.since` is `due.days` old and whose reminder
 * (`due.mark`) is not yet set, setting it to `now` in the caller's transaction, so each is brought
 * up once however many workers sweep: a batch at a time, oldest first, skipping rows another worker
 * holds. Returns the services marked.
 */
async function markDue(
  manager: EntityManager,
  due: {
    status: ServiceStatus;
    since: 'created_at' | 'review_requested_at';
    mark: 'confirm_reminded_at' | 'review_reminded_at';
    days: number;
  },
  now: Date,
  batch: number,
): Promise<VolunteerServiceEntity[]> {
  // Literals, not parameters, so that the sweep's partial index matches. An UPDATE answers [rows, count].
  const [rows]: [VolunteerServiceEntity[], number] = await manager.query(
    `WITH due AS MATERIALIZED (
       SELECT id FROM time_bank_services
        WHERE status = '${due.status}' AND ${due.mark} IS NULL AND ${due.since} <= $1::timestamptz - interval '${due.days} days'
        ORDER BY ${due.since} LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE time_bank_services s SET ${due.mark} = $1::timestamptz FROM due
      WHERE s.id = due.id AND s.status = '${due.status}' AND s.${due.mark} IS NULL
     RETURNING ${SERVICE_COLUMNS}`,
    [now.toISOString(), batch],
  );
  return rows;
}

/** A status as an error message says it: `UNDER_REVIEW` → "under review". */
function statusWords(status: ServiceStatus): string {
  return status.toLowerCase().replace(/_/g, ' ');
}

/**
 * The database's answers as the checks': the exclusion constraint's, when two concurrent records
 * overlap, and the table trigger's refusal of a start outside the window.
 */
async function translateWriteError<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (violatedConstraint(error) === 'ex_time_bank_services_overlap') throw TimeBankError.serviceOverlap();
    // The lifecycle's trigger, behind the checks: a decision that raced another one.
    if (violatedConstraint(error) === 'ck_time_bank_services_transition') throw TimeBankError.illegalTransition('service', 'decided meanwhile', 'changed so');
    throw translateLedgerError(error);
  }
}

/**
 * Earning: a volunteer records a service; the recipient (or a manager or admin) confirms it,
 * which credits the minutes exactly once, however often and however concurrently it is confirmed.
 */
@Injectable()
export class ServiceRecordsService implements OnModuleInit {
  private readonly logger = new Logger(ServiceRecordsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly ledger: LedgerRepository,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationOutbox,
    private readonly staff: StaffScope,
    private readonly sources: NotificationSources,
  ) {}

  onModuleInit(): void {
    this.sources.register('service-unconfirmed', (now) => this.remindUnconfirmed(now));
    this.sources.register('service-review-waiting', (now) => this.remindReviews(now));
  }

  /**
   * Brings up once more each review still undecided `SERVICE_REVIEW_REMINDER_DAYS` after it was
   * asked for: to the staff first asked, and now to every administrator as well, who may decide
   * any (`markDue`).
   */
  async remindReviews(now: Date, batch = SWEEP_BATCH): Promise<number> {
    return this.transactions.run(async (manager) => {
      const rows = await markDue(
        manager,
        { status: ServiceStatus.UNDER_REVIEW, since: 'review_requested_at', mark: 'review_reminded_at', days: SERVICE_REVIEW_REMINDER_DAYS },
        now,
        batch,
      );
      const events: NotificationEvent[] = [];
      for (const service of rows) {
        const staff = await this.staff.staffOf(service.recipientId, service.volunteerId);
        const admins: Addressee[] = staff.some((to) => 'role' in to) ? [] : [{ role: 'ADMIN' }];
        for (const to of [...staff, ...admins]) events.push(reviewRequestEvent(service, reviewWaitingKey(service.id), to));
      }
      await this.notifications.record(manager, events);
      return rows.length;
    });
  }

  /**
   * Brings up once more each service still waiting for its elder `SERVICE_CONFIRM_REMINDER_DAYS`
   * after it was logged: to the elder (its page) and their linked relatives ("my family", where
   * they may confirm it for them) (`markDue`).
   */
  async remindUnconfirmed(now: Date, batch = SWEEP_BATCH): Promise<number> {
    return this.transactions.run(async (manager) => {
      const rows = await markDue(
        manager,
        { status: ServiceStatus.PENDING_CONFIRMATION, since: 'created_at', mark: 'confirm_reminded_at', days: SERVICE_CONFIRM_REMINDER_DAYS },
        now,
        batch,
      );
      await this.notifications.record(
        manager,
        rows.map((service) => ({
          kind: NotificationKind.SERVICE_UNCONFIRMED,
          eventKey: unconfirmedKey(service.id),
          to: { userId: service.recipientId },
          params: serviceParams(service),
          link: `/time-bank/services/${service.id}`,
        })),
      );
      return rows.length;
    });
  }

  /** Records a service in its own transaction. */
  async record(volunteerId: string, input: NewServiceRecord): Promise<ServiceRecordView> {
    const startedAt = await this.checkNewService(volunteerId, input);
    return translateWriteError(() => this.transactions.run((manager) => this.insertService(manager, volunteerId, input, startedAt, null)));
  }

  /** Records a service inside the caller's transaction (a request completed by its volunteer). */
  async recordIn(manager: EntityManager, volunteerId: string, input: NewServiceRecord, requestId: string): Promise<ServiceRecordView> {
    const startedAt = await this.checkNewService(volunteerId, input);
    return translateWriteError(() => this.insertService(manager, volunteerId, input, startedAt, requestId));
  }

  /**
   * What a new service must be before it is written: not for oneself, started, at most
   * `SERVICE_RECORD_WINDOW_DAYS` ago, for someone who exists; its start.
   */
  private async checkNewService(volunteerId: string, input: NewServiceRecord): Promise<Date> {
    if (input.recipientId === volunteerId) throw TimeBankError.selfTransfer();
    const startedAt = new Date(input.startedAt);
    if (Number.isNaN(startedAt.getTime()))
      throw CommonError.validation('startedAt is not a date.', [{ field: 'startedAt', message: 'must be an ISO 8601 date-time' }]);
    if (startedAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS) {
      throw CommonError.validation('A service can be recorded only once it has started.', [{ field: 'startedAt', message: 'must not be in the future' }]);
    }
    if (!withinRecordWindow(startedAt)) {
      throw CommonError.validation(`A service can be recorded for at most ${SERVICE_RECORD_WINDOW_DAYS} days after it started.`, [
        { field: 'startedAt', message: `must be at most ${SERVICE_RECORD_WINDOW_DAYS} days ago` },
      ]);
    }
    const recipient = await this.users.findById(input.recipientId);
    if (!recipient) throw CommonError.notFound('recipient');
    return startedAt;
  }

  private async insertService(
    manager: EntityManager,
    volunteerId: string,
    input: NewServiceRecord,
    startedAt: Date,
    requestId: string | null,
  ): Promise<ServiceRecordView> {
    // The check gives the contract's answer in the common case; the exclusion constraint keeps it true under concurrency.
    const overlapping: unknown[] = await manager.query(
      `SELECT 1 FROM time_bank_services
        WHERE volunteer_id = $1 AND status <> 'REJECTED'
          AND tstzrange(started_at, ends_at) && tstzrange($2::timestamptz, $2::timestamptz + make_interval(mins => $3))
        LIMIT 1`,
      [volunteerId, startedAt.toISOString(), input.durationMinutes],
    );
    if (overlapping.length > 0) throw TimeBankError.serviceOverlap();
    const rows: Record<string, unknown>[] = await manager.query(
      `INSERT INTO time_bank_services (volunteer_id, recipient_id, service_type, started_at, ends_at, duration_minutes, note, request_id)
       VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + make_interval(mins => $5), $5, $6, $7) RETURNING id`,
      [volunteerId, input.recipientId, input.serviceType, startedAt.toISOString(), input.durationMinutes, input.note ?? null, requestId],
    );
    const record = await manager.findOneByOrFail(VolunteerServiceEntity, { id: rows[0]?.id as string });
    await this.notifications.record(manager, [
      {
        kind: NotificationKind.SERVICE_TO_CONFIRM,
        eventKey: toConfirmKey(record.id),
        to: { userId: record.recipientId },
        params: { serviceType: record.serviceType, minutes: record.durationMinutes },
        link: `/time-bank/services/${record.id}`,
      },
    ]);
    return toServiceRecordView(record);
  }

  async find(principal: Principal, id: string): Promise<ServiceRecordView> {
    const record = await this.dataSource.getRepository(VolunteerServiceEntity).findOneBy({ id });
    if (!record || !(record.volunteerId === principal.id || (await this.canDecide(principal, record)))) throw CommonError.notFound('service');
    // Staff who decided it themselves are named; the elder's own word (given by them, or by whoever acts for them) is not.
    const staffDecider = record.decidedBy !== null && record.decidedBy !== record.recipientId ? record.decidedBy : null;
    const [volunteer, recipient, decider] = await Promise.all([
      this.users.findById(record.volunteerId),
      this.users.findById(record.recipientId),
      staffDecider ? this.users.findById(staffDecider) : null,
    ]);
    return {
      ...toServiceRecordView(record),
      ...(volunteer ? { volunteer: { name: volunteer.name } } : {}),
      ...(recipient ? { recipient: { name: recipient.name } } : {}),
      ...(decider ? { decidedBy: { name: decider.name } } : {}),
    };
  }

  /**
   * The services waiting for `recipientId` to say whether they happened, oldest first (it has
   * waited longest), each with its volunteer's name as `find` gives it.
   */
  awaiting(recipientId: string, limit: number, offset: number): Promise<{ items: ServiceRecordView[]; total: number }> {
    return this.listed(
      { where: 's.recipient_id = $1 AND s.status = $2', params: [recipientId, ServiceStatus.PENDING_CONFIRMATION] },
      ['volunteer'],
      's.started_at, s.id',
      limit,
      offset,
    );
  }

  /**
   * The services `volunteerId` logged, whatever became of them, each with whom it was for: those
   * still waiting (for the elder, or for staff's review) first, what the volunteer may need to
   * follow up, then the decided ones, each group latest first.
   */
  loggedBy(volunteerId: string, limit: number, offset: number): Promise<{ items: ServiceRecordView[]; total: number }> {
    return this.listed(
      { where: 's.volunteer_id = $1', params: [volunteerId] },
      ['recipient'],
      `(s.status IN ('${ServiceStatus.PENDING_CONFIRMATION}', '${ServiceStatus.UNDER_REVIEW}')) DESC, s.started_at DESC, s.id`,
      limit,
      offset,
    );
  }

  /**
   * The services under review that `principal` may decide, the longest waiting first, each with
   * both names: every one for an administrator; for a manager, those for the seniors of their
   * care centres (as `StaffScope` has it).
   */
  underReview(principal: Principal, limit: number, offset: number): Promise<{ items: ServiceRecordView[]; total: number }> {
    return this.forStaff(principal, ServiceStatus.UNDER_REVIEW, 's.review_requested_at, s.id', limit, offset);
  }

  /**
   * The services still waiting for the word of seniors `principal` is staff for, the longest
   * waiting first, each with both names: those a care centre's manager may settle with an elder
   * who has no phone, or who missed the message.
   */
  awaitingElders(principal: Principal, limit: number, offset: number): Promise<{ items: ServiceRecordView[]; total: number }> {
    return this.forStaff(principal, ServiceStatus.PENDING_CONFIRMATION, 's.created_at, s.id', limit, offset);
  }

  /** A page of the services in `status` that `principal` may decide as staff (never their own), in `order`. */
  private async forStaff(
    principal: Principal,
    status: ServiceStatus,
    order: string,
    limit: number,
    offset: number,
  ): Promise<{ items: ServiceRecordView[]; total: number }> {
    const people = await this.staff.people(principal);
    return this.listed(
      {
        where: `s.status = $1 AND s.volunteer_id <> $2 AND ($3::uuid[] IS NULL OR s.recipient_id = ANY ($3::uuid[]))`,
        params: [status, principal.id, people === 'all' ? null : people],
      },
      ['volunteer', 'recipient'],
      order,
      limit,
      offset,
    );
  }

  /** A page of services matching `filter`, in `order`, each with the names of the `people` asked for, and how many match. */
  private async listed(
    filter: { where: string; params: unknown[] },
    people: ('volunteer' | 'recipient')[],
    order: string,
    limit: number,
    offset: number,
  ): Promise<{ items: ServiceRecordView[]; total: number }> {
    const next = filter.params.length + 1;
    const [rows, count] = await Promise.all([
      this.dataSource.query<(VolunteerServiceEntity & { volunteerName: string; recipientName: string })[]>(
        `SELECT ${SERVICE_COLUMNS}, v.name AS "volunteerName", r.name AS "recipientName"
           FROM time_bank_services s JOIN users v ON v.id = s.volunteer_id JOIN users r ON r.id = s.recipient_id
          WHERE ${filter.where}
          ORDER BY ${order}
          LIMIT $${next} OFFSET $${next + 1}`,
        [...filter.params, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM time_bank_services s WHERE ${filter.where}`, filter.params),
    ]);
    return {
      items: rows.map(({ volunteerName, recipientName, ...row }) => ({
        ...toServiceRecordView(row),
        ...(people.includes('volunteer') ? { volunteer: { name: volunteerName } } : {}),
        ...(people.includes('recipient') ? { recipient: { name: recipientName } } : {}),
      })),
      total: count[0]?.total ?? 0,
    };
  }

  /**
   * Confirms a pending service and credits the volunteer in one call of `time_bank_confirm`:
   * 1 minute per minute of service from the issuer, up to the storage cap; the excess goes to
   * the community pool as a transfer of its own. A repeated or concurrent confirmation finds the
   * service confirmed (its row is locked first) and credits nothing.
   */
  async confirm(principal: Principal, id: string): Promise<ServiceRecordView> {
    const privileged = await this.staff.actsFor(principal, () => this.ledger.serviceRecipient(id));
    const cap = this.config.timeBankStorageCapMinutes;
    const confirmed = toServiceRecordView(
      privileged
        ? // Staff deciding for the elder: the confirmation and its entry in the elder's record of
          // what others did for them commit together (one more statement, for staff only).
          await translateWriteError(() =>
            this.transactions.run(async (manager) => {
              const before = await manager.getRepository(VolunteerServiceEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
              const service = await this.ledger.confirm(id, principal.id, privileged, cap, manager);
              if (before?.status === ServiceStatus.PENDING_CONFIRMATION) await this.recordStaffAct(manager, principal, service, 'confirm');
              return service;
            }),
          )
        : await this.ledger.confirm(id, principal.id, privileged, cap),
    );
    // After the ledger's one statement, on its own: the minutes are banked whether or not the
    // elder's message is settled, and a failure here leaves only a message asking what is decided.
    await this.notifications.settle(this.dataSource.manager, [toConfirmKey(id), unconfirmedKey(id)]).catch((error: unknown) => {
      this.logger.warn({ msg: 'the message asking to confirm a service was not settled', serviceId: id, error: (error as Error).message });
    });
    return confirmed;
  }

  async reject(principal: Principal, id: string, reason: string): Promise<ServiceRecordView> {
    return this.transactions.run(async (manager) => {
      const record = await this.lockForDecision(manager, principal, id);
      if (record.status === ServiceStatus.REJECTED) return toServiceRecordView(record);
      if (record.status !== ServiceStatus.PENDING_CONFIRMATION) throw TimeBankError.illegalTransition('service', statusWords(record.status), 'rejected');
      await manager.query(`UPDATE time_bank_services SET status = 'REJECTED', reject_reason = $2, decided_by = $3, decided_at = now() WHERE id = $1`, [
        id,
        reason,
        principal.id,
      ]);
      await this.recordStaffAct(manager, principal, record, 'reject');
      await this.notifications.settle(manager, [toConfirmKey(id), unconfirmedKey(id)]);
      await this.notifications.record(manager, [
        {
          kind: NotificationKind.SERVICE_REJECTED,
          eventKey: `service-rejected:${id}`,
          to: { userId: record.volunteerId },
          params: serviceParams(record),
          link: `/time-bank/services/${id}`,
        },
      ]);
      return toServiceRecordView({ ...record, status: ServiceStatus.REJECTED, rejectReason: reason, decidedBy: principal.id, decidedAt: new Date() });
    });
  }

  /**
   * The volunteer asks staff to review a service its elder turned down, saying why: once, within
   * `SERVICE_REVIEW_WINDOW_DAYS` of the rejection. Asking again while it is under review changes
   * nothing. The service claims the volunteer's time again, so one logged meanwhile at an
   * overlapping time refuses it (`SERVICE_OVERLAP`).
   */
  async requestReview(principal: Principal, id: string, reason: string): Promise<ServiceRecordView> {
    return translateWriteError(() =>
      this.transactions.run(async (manager) => {
        const record = await manager.getRepository(VolunteerServiceEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!record || record.volunteerId !== principal.id) throw CommonError.notFound('service');
        if (record.status === ServiceStatus.UNDER_REVIEW) return toServiceRecordView(record);
        if (record.status !== ServiceStatus.REJECTED || record.reviewRequestedAt !== null) {
          throw TimeBankError.illegalTransition(
            'service',
            record.reviewRequestedAt !== null ? 'reviewed already' : statusWords(record.status),
            'sent for review',
          );
        }
        const until = reviewableUntil(record);
        if (until === null || Date.now() > Date.parse(until)) {
          throw TimeBankError.reviewWindowClosed(SERVICE_REVIEW_WINDOW_DAYS);
        }
        // An UPDATE answers [rows, count].
        const [rows]: [VolunteerServiceEntity[], number] = await manager.query(
          `UPDATE time_bank_services s SET status = 'UNDER_REVIEW', review_reason = $2, review_requested_at = now() WHERE id = $1 RETURNING ${SERVICE_COLUMNS}`,
          [id, reason],
        );
        const updated = rows[0];
        if (!updated) throw CommonError.notFound('service');
        // Those who may decide it are asked: the managers of the elder's care centres, else the administrators.
        const staff = await this.staff.staffOf(updated.recipientId, updated.volunteerId);
        await this.notifications.record(
          manager,
          staff.map((to) => reviewRequestEvent(updated, reviewRequestedKey(id), to)),
        );
        return toServiceRecordView(updated);
      }),
    );
  }

  /**
   * Staff decide a service under review: it happened (`CONFIRMED`: credited as a confirmation
   * would be, in the same call of `time_bank_review`) or the elder's word stands (`REJECTED`, for
   * good), with a note saying why. The volunteer is told either way, and the elder when it was
   * confirmed against their word. The same decision repeated is answered as it stands.
   */
  async decideReview(principal: Principal, id: string, outcome: ReviewOutcome, note: string): Promise<ServiceRecordView> {
    const privileged = await this.staff.actsFor(principal, () => this.ledger.serviceRecipient(id));
    return translateWriteError(() =>
      this.transactions.run(async (manager) => {
        const record = await this.ledger.review(manager, {
          serviceId: id,
          actorId: principal.id,
          privileged,
          outcome,
          note,
          capMinutes: this.config.timeBankStorageCapMinutes,
        });
        // The question to staff is answered, for all of them.
        await this.notifications.settle(manager, [reviewRequestedKey(id), reviewWaitingKey(id)]);
        const params = serviceParams(record);
        const link = `/time-bank/services/${id}`;
        const confirmed = record.status === ServiceStatus.CONFIRMED;
        // Keyed by the service: a repeated decision finds its messages written already.
        await this.notifications.record(manager, [
          {
            kind: confirmed ? NotificationKind.SERVICE_REVIEW_CONFIRMED : NotificationKind.SERVICE_REVIEW_UPHELD,
            eventKey: `service-reviewed:${id}`,
            to: { userId: record.volunteerId },
            params,
            link,
          },
          ...(confirmed
            ? [{ kind: NotificationKind.SERVICE_CONFIRMED_ON_REVIEW, eventKey: `service-reviewed:${id}`, to: { userId: record.recipientId }, params, link }]
            : []),
        ]);
        return toServiceRecordView(record);
      }),
    );
  }

  /**
   * A manager or an administrator who decides a service for its elder (StaffScope, not through
   * `seniorId`) acts for the elder: the act enters the elder's record of what others did for them,
   * in the decision's transaction, as the guard records a relative's. Nothing is recorded when the
   * elder decided, or someone acting for them through `seniorId` (the guard records that).
   */
  private async recordStaffAct(manager: EntityManager, principal: Principal, service: VolunteerServiceEntity, decision: 'confirm' | 'reject'): Promise<void> {
    if (principal.actedBy || principal.id === service.recipientId) return;
    await this.users.recordActedFor(
      {
        seniorId: service.recipientId,
        actorId: principal.id,
        as: hasRole(principal, Role.ADMIN) ? 'ADMIN' : 'MANAGER',
        action: `POST /time-bank/services/:id/${decision}`,
        subjectId: service.id,
      },
      manager,
    );
  }

  /** Locks the service row (first, before any account) and checks the caller may decide on it. */
  private async lockForDecision(manager: EntityManager, principal: Principal, id: string): Promise<VolunteerServiceEntity> {
    const record = await manager.getRepository(VolunteerServiceEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!record || !(await this.canDecide(principal, record))) throw CommonError.notFound('service');
    return record;
  }

  /** The recipient decides on a service; so do staff for the recipient (StaffScope), unless it is their own. */
  private async canDecide(principal: Principal, record: VolunteerServiceEntity): Promise<boolean> {
    if (record.volunteerId === principal.id) return false;
    return record.recipientId === principal.id || this.staff.actsFor(principal, record.recipientId);
  }
}
