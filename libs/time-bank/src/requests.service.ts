import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountRemovals, UsersService, VolunteerEndings } from '@app/identity';
import { CommonError, IdempotencyService, type Principal, TransactionRunner } from '@app/platform';
import { type NotificationEvent, NotificationKind, NotificationOutbox, NotificationSources } from '@app/notifications';
import { ServiceRequestEntity } from './service-request.entity';
import { translateLedgerError } from './ledger.repository';
import { FUTURE_TOLERANCE_MS, ServiceRecordsService, type ServiceRecordView, withinRecordWindow } from './service-records.service';
import { StaffScope } from './staff-scope';
import { TimeBankError } from './time-bank.errors';
import { SWEEP_BATCH } from './time-bank.rules';
import { RequestStatus, type ServiceType } from './time-bank.types';

export interface NewServiceRequest {
  serviceType: ServiceType;
  wantedAt: string;
  durationMinutes: number;
  street: string;
  note?: string;
}

/** Who is on the other side of a claimed request, so the two can reach each other. */
export interface RequestContact {
  name: string;
  /** Null for a senior registered at a counter without a phone. */
  phone: string | null;
}

export interface ServiceRequestView {
  id: string;
  seniorId: string;
  serviceType: ServiceType;
  wantedAt: string;
  durationMinutes: number;
  street: string;
  note: string | null;
  status: RequestStatus;
  claimedBy: string | null;
  serviceId: string | null;
  cancelledAt: string | null;
  /**
   * The request's times as they stand when the answer is made, by the server's clock (a phone's
   * may be wrong), so that a page need not restate the rules:
   * - `serviceDue`: its wanted time is at most `FUTURE_TOLERANCE_MS` ahead, so the service can be
   *   reported done or logged;
   * - `serviceOver`: its wanted time plus its length has passed;
   * - `claimWindowOpen`: it was wanted at most `REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES` ago, so a
   *   volunteer could take it were it open (given back now, it opens again rather than expiring);
   * - `recordWindowOpen`: it was wanted at most `SERVICE_RECORD_WINDOW_DAYS` ago, so a service at
   *   its time can still be recorded (reported done, or logged after a late close).
   */
  serviceDue: boolean;
  serviceOver: boolean;
  claimWindowOpen: boolean;
  recordWindowOpen: boolean;
  /** True when the listing volunteer has the skill the request asks for. */
  matchesSkills?: boolean;
  /** While CLAIMED, to the senior's side (the senior, whoever acts for them, staff): who is coming. */
  volunteer?: RequestContact;
  /** While CLAIMED, to the claimer: whom they are going to. */
  senior?: RequestContact;
}

function toView(row: ServiceRequestEntity, matchesSkills?: boolean): ServiceRequestView {
  const now = Date.now();
  const wantedAt = new Date(row.wantedAt).getTime();
  const view: ServiceRequestView = {
    id: row.id,
    seniorId: row.seniorId,
    serviceType: row.serviceType,
    wantedAt: new Date(row.wantedAt).toISOString(),
    durationMinutes: row.durationMinutes,
    street: row.street,
    note: row.note,
    status: row.status,
    claimedBy: row.claimedBy,
    serviceId: row.serviceId,
    cancelledAt: row.cancelledAt ? new Date(row.cancelledAt).toISOString() : null,
    serviceDue: wantedAt <= now + FUTURE_TOLERANCE_MS,
    serviceOver: serviceEnded(row.wantedAt, row.durationMinutes, now),
    claimWindowOpen: wantedAt > now - REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES * 60 * 1000,
    recordWindowOpen: withinRecordWindow(row.wantedAt, now),
  };
  if (matchesSkills !== undefined) view.matchesSkills = matchesSkills;
  return view;
}

/**
 * How long after its wanted time an open request may still be claimed (a volunteer who can come
 * a little late); after that it is `EXPIRED`.
 */
export const REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES = 60;

/**
 * A cancel or a give-back this close to the wanted time is texted at once, even at night: held
 * until quiet hours end (08:00), the text could reach the volunteer or the senior too late.
 */
const URGENT_WITHIN_HOURS = 12;

/** Idempotency scope of giving a request back: a key is remembered per volunteer. */
export const RELEASE_SCOPE = 'time-bank:request-release';

/**
 * The service starts within `URGENT_WITHIN_HOURS` and has not ended yet. Once it should have
 * ended (a claim cancelled or given back days later) there is nothing left to be in time for,
 * and the text waits for the morning like any other.
 */
function soon(wantedAt: Date, durationMinutes: number, now = Date.now()): boolean {
  const start = new Date(wantedAt).getTime();
  return start - now < URGENT_WITHIN_HOURS * 60 * 60 * 1000 && !serviceEnded(wantedAt, durationMinutes, now);
}

/** The service should have ended by now: its wanted time plus its length has passed. */
function serviceEnded(wantedAt: Date, durationMinutes: number, now = Date.now()): boolean {
  return new Date(wantedAt).getTime() + durationMinutes * 60 * 1000 <= now;
}

/**
 * A claimer who has not reported a request done this long after the service's end (its wanted
 * time plus its length) is reminded, once per claim.
 */
export const UNREPORTED_REMINDER_HOURS = 24;

/** SQL: the columns of the request `r` under its entity's property names. */
const REQUEST_COLUMNS = `r.id, r.senior_id AS "seniorId", r.service_type AS "serviceType", r.wanted_at AS "wantedAt", r.duration_minutes AS "durationMinutes",
  r.street, r.note, r.status, r.claimed_by AS "claimedBy", r.claimed_at AS "claimedAt", r.service_id AS "serviceId",
  r.cancelled_at AS "cancelledAt", r.cancelled_by AS "cancelledBy", r.created_at AS "createdAt"`;

/** SQL: the request `r` may still be claimed at the statement's time. */
const CLAIMABLE = `r.wanted_at > now() - interval '${REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES} minutes'`;

/** A claimed request given back (by its claimer, or as their time as a volunteer ends), as the update that gives it back returns it. */
interface GivenBack {
  id: string;
  status: RequestStatus;
  senior_id: string;
  service_type: ServiceType;
  wanted_at: Date;
  duration_minutes: number;
  claimed_at: Date;
}

/**
 * Gives back the CLAIMED requests `claim` picks (a CTE of `id` and `claimed_at`, locked) that
 * `claimed_by = $1` holds: OPEN again while they may still be claimed, else closed (EXPIRED).
 */
const GIVE_BACK = (claim: string): string => `WITH claim AS MATERIALIZED (${claim})
  UPDATE time_bank_requests r
     SET status = CASE WHEN ${CLAIMABLE} THEN 'OPEN' ELSE 'EXPIRED' END, claimed_by = NULL, claimed_at = NULL, claim_reminded_at = NULL
    FROM claim
   WHERE r.id = claim.id AND r.status = 'CLAIMED' AND r.claimed_by = $1
  RETURNING r.id, r.status, r.senior_id, r.service_type, r.wanted_at, r.duration_minutes, claim.claimed_at`;

/**
 * What the volunteer who had claimed a request is told when it is cancelled: not to come; or,
 * once the service should have ended (they did not come, or have yet to report it), that it
 * closed, since "you need not go" would be wrong and one who did go can still log it.
 */
function cancelledEvent(row: Pick<ServiceRequestEntity, 'id' | 'serviceType' | 'wantedAt' | 'durationMinutes'>, claimer: string): NotificationEvent {
  const late = serviceEnded(row.wantedAt, row.durationMinutes);
  return {
    kind: late ? NotificationKind.REQUEST_CANCELLED_LATE : NotificationKind.REQUEST_CANCELLED,
    eventKey: `request-cancelled:${row.id}`,
    to: { userId: claimer },
    params: { serviceType: row.serviceType, at: new Date(row.wantedAt).toISOString() },
    // Late: the page that logs this service, if the volunteer did go, for the senior to confirm.
    link: late ? `/time-bank/my-claims/${row.id}/done/duration` : '/time-bank/my-claims',
    urgent: soon(row.wantedAt, row.durationMinutes),
  };
}

/** What the senior of a given-back request is told: open again, or, once too late for anyone to take it, closed. */
function givenBackEvent(request: GivenBack): NotificationEvent {
  return {
    kind: request.status === RequestStatus.EXPIRED ? NotificationKind.REQUEST_RELEASED_LATE : NotificationKind.REQUEST_RELEASED,
    eventKey: `request-released:${request.id}:${new Date(request.claimed_at).getTime()}`,
    to: { userId: request.senior_id },
    params: { serviceType: request.service_type, at: new Date(request.wanted_at).toISOString() },
    link: '/time-bank/my-requests',
    urgent: soon(request.wanted_at, request.duration_minutes),
  };
}

/**
 * Service requests posted by seniors, listed to volunteers (their skills first) and claimed by
 * exactly one of them: the claim is a conditional update that only an OPEN request whose time
 * has not long passed satisfies. One nobody claimed in time is closed by the notifications'
 * sweep, which tells its senior.
 */
@Injectable()
export class RequestsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly services: ServiceRecordsService,
    private readonly notifications: NotificationOutbox,
    private readonly sources: NotificationSources,
    private readonly staff: StaffScope,
    private readonly users: UsersService,
    private readonly idempotency: IdempotencyService,
    private readonly volunteerEndings: VolunteerEndings,
    private readonly accountRemovals: AccountRemovals,
  ) {}

  onModuleInit(): void {
    this.volunteerEndings.use(async (manager, volunteerId) => {
      await this.giveBackAll(manager, volunteerId);
    });
    this.accountRemovals.use(async (manager, userId, removedBy) => {
      await this.cancelAllOf(manager, userId, removedBy);
    });
    this.sources.register('request-expired', (now) => this.expireUnclaimed(now));
    this.sources.register('request-unreported', (now) => this.remindUnreported(now));
  }

  async post(seniorId: string, input: NewServiceRequest): Promise<ServiceRequestView> {
    // The table's trigger refuses a time already past or more than a year ahead (INVALID_FIELD).
    const rows = await this.dataSource
      .query<{ id: string }[]>(
        `INSERT INTO time_bank_requests (senior_id, service_type, wanted_at, duration_minutes, street, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [seniorId, input.serviceType, new Date(input.wantedAt).toISOString(), input.durationMinutes, input.street.trim(), input.note ?? null],
      )
      .catch((error: unknown) => {
        throw translateLedgerError(error);
      });
    return this.get(rows[0]?.id ?? '');
  }

  async find(principal: Principal, id: string): Promise<ServiceRequestView> {
    const row = await this.dataSource.getRepository(ServiceRequestEntity).findOneBy({ id });
    const visible =
      row &&
      (row.status === RequestStatus.OPEN ||
        row.seniorId === principal.id ||
        row.claimedBy === principal.id ||
        (await this.staff.actsFor(principal, row.seniorId)));
    if (!row || !visible) throw CommonError.notFound('request');
    return (await this.withContacts(principal.id, [toView(row)]))[0];
  }

  /**
   * The senior's own requests: those still to come (OPEN, CLAIMED) first, soonest first, then
   * the closed ones, latest first.
   */
  async mine(seniorId: string, limit: number, offset: number): Promise<{ items: ServiceRequestView[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.dataSource.query<ServiceRequestEntity[]>(
        `SELECT ${REQUEST_COLUMNS} FROM time_bank_requests r WHERE r.senior_id = $1
          ORDER BY (r.status IN ('OPEN', 'CLAIMED')) DESC, CASE WHEN r.status IN ('OPEN', 'CLAIMED') THEN r.wanted_at END ASC, r.wanted_at DESC, r.id
          LIMIT $2 OFFSET $3`,
        [seniorId, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM time_bank_requests WHERE senior_id = $1`, [seniorId]),
    ]);
    return {
      items: await this.withContacts(
        seniorId,
        rows.map((row) => toView(row)),
      ),
      total: count[0]?.total ?? 0,
    };
  }

  /**
   * Requests with the given status (not the caller's own): the open ones, those matching the
   * volunteer's skills first, then by wanted time; the caller's own claims by wanted time alone
   * (what is due first is what to go to first).
   */
  async list(volunteerId: string, status: RequestStatus, limit: number, offset: number): Promise<{ items: ServiceRequestView[]; total: number }> {
    const visibleToAll = status === RequestStatus.OPEN;
    const [rows, count] = await Promise.all([
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT id, matches FROM (
           SELECT r.id, r.wanted_at, EXISTS (SELECT 1 FROM time_bank_volunteer_skills s WHERE s.volunteer_id = $1 AND s.service_type = r.service_type) AS matches
             FROM time_bank_requests r
            WHERE r.status = $2 AND ($3 OR r.claimed_by = $1) AND (NOT $3 OR ${CLAIMABLE}) AND r.senior_id <> $1) listed
          ORDER BY ($3 AND matches) DESC, wanted_at ASC, id
          LIMIT $4 OFFSET $5`,
        [volunteerId, status, visibleToAll, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM time_bank_requests r WHERE r.status = $2 AND ($3 OR r.claimed_by = $1) AND (NOT $3 OR ${CLAIMABLE}) AND r.senior_id <> $1`,
        [volunteerId, status, visibleToAll],
      ),
    ]);
    const ids = rows.map((row) => row.id as string);
    const entities = ids.length > 0 ? await this.dataSource.getRepository(ServiceRequestEntity).findBy(ids.map((id) => ({ id }))) : [];
    const byId = new Map(entities.map((entity) => [entity.id, entity]));
    const items = rows.flatMap((row) => {
      const entity = byId.get(row.id as string);
      return entity ? [toView(entity, Boolean(row.matches))] : [];
    });
    return { items: await this.withContacts(volunteerId, items), total: count[0]?.total ?? 0 };
  }

  /**
   * Closes the open requests whose claiming time has passed, oldest first and at most `batch` a
   * run (the sweep comes back every minute for the rest), and tells each one's senior, once (the
   * event key names the request); run by the notifications' sweep on every worker. Rows another
   * transaction holds (a cancel, another worker's sweep) are left to the next run.
   */
  async expireUnclaimed(now: Date, batch = SWEEP_BATCH): Promise<number> {
    return this.transactions.run(async (manager) => {
      const [rows]: [{ id: string; senior_id: string; service_type: ServiceType; wanted_at: Date }[], number] = await manager.query(
        // Materialized: run once. As a subquery the planner may rescan it per row, and each rescan
        // skips the rows this statement has just closed and takes the next ones, past the limit.
        `WITH due AS MATERIALIZED (
           SELECT id FROM time_bank_requests
            WHERE status = 'OPEN' AND wanted_at <= $1::timestamptz - interval '${REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES} minutes'
            ORDER BY wanted_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE time_bank_requests r SET status = 'EXPIRED' FROM due
          WHERE r.id = due.id AND r.status = 'OPEN'
         RETURNING r.id, r.senior_id, r.service_type, r.wanted_at`,
        [now.toISOString(), batch],
      );
      await this.notifications.record(
        manager,
        rows.map((request) => ({
          kind: NotificationKind.REQUEST_EXPIRED,
          eventKey: `request-expired:${request.id}`,
          to: { userId: request.senior_id },
          params: { serviceType: request.service_type, at: new Date(request.wanted_at).toISOString() },
          link: '/time-bank/my-requests',
        })),
      );
      return rows.length;
    });
  }

  /**
   * Reminds each volunteer of a request they took and have not reported done a day after the
   * service's end, once per claim (`claim_reminded_at` is set with the reminder and cleared when
   * the request is given back), oldest first and at most `batch` a run. The reminder links to the
   * volunteer's claims, where they report it done or give it back.
   */
  async remindUnreported(now: Date, batch = SWEEP_BATCH): Promise<number> {
    return this.transactions.run(async (manager) => {
      const [rows]: [{ id: string; claimed_by: string; claimed_at: Date; service_type: ServiceType; wanted_at: Date }[], number] = await manager.query(
        // The first bound on wanted_at alone lets the partial index do the work; the second is the rule.
        `WITH due AS MATERIALIZED (
           SELECT id FROM time_bank_requests
            WHERE status = 'CLAIMED' AND claim_reminded_at IS NULL
              AND wanted_at <= $1::timestamptz - interval '${UNREPORTED_REMINDER_HOURS} hours'
              AND wanted_at + make_interval(mins => duration_minutes) <= $1::timestamptz - interval '${UNREPORTED_REMINDER_HOURS} hours'
            ORDER BY wanted_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE time_bank_requests r SET claim_reminded_at = $1::timestamptz FROM due
          WHERE r.id = due.id AND r.status = 'CLAIMED' AND r.claim_reminded_at IS NULL
         RETURNING r.id, r.claimed_by, r.claimed_at, r.service_type, r.wanted_at`,
        [now.toISOString(), batch],
      );
      await this.notifications.record(
        manager,
        rows.map((request) => ({
          kind: NotificationKind.REQUEST_UNREPORTED,
          eventKey: `request-unreported:${request.id}:${new Date(request.claimed_at).getTime()}`,
          to: { userId: request.claimed_by },
          params: { serviceType: request.service_type, at: new Date(request.wanted_at).toISOString() },
          link: '/time-bank/my-claims',
        })),
      );
      return rows.length;
    });
  }

  /** Exactly one claimer wins: the update only matches while the request is still OPEN and claimable. */
  async claim(volunteerId: string, id: string): Promise<ServiceRequestView> {
    const claimed = await this.transactions.run(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected count].
      const [rows, count]: [{ senior_id: string; service_type: ServiceType; wanted_at: Date; claimed_at: Date }[], number] = await manager.query(
        `UPDATE time_bank_requests r SET status = 'CLAIMED', claimed_by = $2, claimed_at = clock_timestamp()
          WHERE id = $1 AND status = 'OPEN' AND ${CLAIMABLE} AND senior_id <> $2
         RETURNING senior_id, service_type, wanted_at, claimed_at`,
        [id, volunteerId],
      );
      const request = rows[0];
      if (request) {
        await this.notifications.record(manager, [
          {
            kind: NotificationKind.REQUEST_CLAIMED,
            // A request given back can be claimed again: each claim is its own event.
            eventKey: `request-claimed:${id}:${new Date(request.claimed_at).getTime()}`,
            to: { userId: request.senior_id },
            params: { serviceType: request.service_type, at: new Date(request.wanted_at).toISOString() },
            link: '/time-bank/my-requests',
          },
        ]);
      }
      return count;
    });
    if (claimed === 0) {
      const row = await this.dataSource.getRepository(ServiceRequestEntity).findOneBy({ id });
      if (!row) throw CommonError.notFound('request');
      // A senior who also volunteers cannot take their own request: the service would be for themself.
      if (row.seniorId === volunteerId) throw TimeBankError.selfTransfer();
      if (row.claimedBy === volunteerId && row.status === RequestStatus.CLAIMED) return (await this.withContacts(volunteerId, [toView(row)]))[0];
      if (row.status === RequestStatus.OPEN || row.status === RequestStatus.EXPIRED) throw TimeBankError.requestExpired();
      if (row.status === RequestStatus.CANCELLED) throw TimeBankError.illegalTransition('request', 'cancelled', 'claimed');
      throw TimeBankError.alreadyClaimed();
    }
    return (await this.withContacts(volunteerId, [await this.get(id)]))[0];
  }

  /**
   * The senior (or someone acting for them, or staff for them) cancels a request that is OPEN or
   * CLAIMED; a volunteer who had taken it is told not to come, or, once the service should have
   * ended, that the senior closed it and how to log the service if they did go. A repeat is
   * answered with the cancelled request. The row is locked first, so a claim and a cancel of one
   * request are served one after the other: the claim then fails, or the cancel tells the claimer.
   */
  async cancel(principal: Principal, id: string): Promise<ServiceRequestView> {
    await this.transactions.run(async (manager) => {
      const row = await manager.getRepository(ServiceRequestEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row || !(row.seniorId === principal.id || (await this.staff.actsFor(principal, row.seniorId)))) throw CommonError.notFound('request');
      if (row.status === RequestStatus.CANCELLED) return;
      if (row.status !== RequestStatus.OPEN && row.status !== RequestStatus.CLAIMED) {
        throw TimeBankError.illegalTransition('request', row.status.toLowerCase(), 'cancelled');
      }
      await manager.query(`UPDATE time_bank_requests SET status = 'CANCELLED', cancelled_at = now(), cancelled_by = $2 WHERE id = $1`, [
        id,
        principal.actedBy?.id ?? principal.id,
      ]);
      if (row.claimedBy) await this.notifications.record(manager, [cancelledEvent(row, row.claimedBy)]);
    });
    return this.get(id);
  }

  /**
   * Cancels every request `seniorId` posted that is still OPEN or CLAIMED, in the caller's
   * transaction, as her account is removed: no volunteer is to claim or go to a home nobody
   * answers for. Each claimer is told as when she cancels (not to come; or, once the service
   * should have ended, that it closed). `by`: the administrator, kept as who cancelled.
   */
  async cancelAllOf(manager: EntityManager, seniorId: string, by: string): Promise<number> {
    const [rows]: [ServiceRequestEntity[], number] = await manager.query(
      `UPDATE time_bank_requests r SET status = 'CANCELLED', cancelled_at = now(), cancelled_by = $2
        FROM (SELECT id FROM time_bank_requests WHERE senior_id = $1 AND status IN ('OPEN', 'CLAIMED') ORDER BY id FOR UPDATE) mine
        WHERE r.id = mine.id
        RETURNING ${REQUEST_COLUMNS}`,
      [seniorId, by],
    );
    await this.notifications.record(
      manager,
      rows.flatMap((row) => (row.claimedBy ? [cancelledEvent(row, row.claimedBy)] : [])),
    );
    return rows.length;
  }

  /**
   * Gives back every request `volunteerId` has claimed, in the caller's transaction, as their time
   * as a volunteer ends (their role taken away, or the person removed): each senior is told as when
   * a claimer gives one back. Their services already logged, and their minutes, stay theirs.
   */
  async giveBackAll(manager: EntityManager, volunteerId: string): Promise<number> {
    const [rows]: [GivenBack[], number] = await manager.query(
      GIVE_BACK(`SELECT id, claimed_at FROM time_bank_requests WHERE claimed_by = $1 AND status = 'CLAIMED' ORDER BY id FOR UPDATE`),
      [volunteerId],
    );
    await this.notifications.record(manager, rows.map(givenBackEvent));
    return rows.length;
  }

  /**
   * The claimer gives a CLAIMED request back and its senior is told. While the request may still
   * be claimed it is OPEN again for other volunteers; once its claiming time has passed it closes
   * (EXPIRED) instead, and the senior gets that one message rather than "open again" followed by
   * "nobody took it". Anyone but the claimer is told the request does not exist, as for completing it.
   * With an `Idempotency-Key`, a retry of a give-back that went through answers as the first did:
   * once given back the request keeps no claimer, so without the key the retry cannot be told
   * from a stranger's attempt (404) or from giving back a request already open again (409).
   */
  async release(volunteerId: string, id: string, key?: string): Promise<ServiceRequestView> {
    const { body } = await this.idempotency.execute({ userId: volunteerId, scope: RELEASE_SCOPE, key, request: { id } }, async (manager) => {
      const [rows]: [GivenBack[], number] = await manager.query(GIVE_BACK(`SELECT id, claimed_at FROM time_bank_requests WHERE id = $2 FOR UPDATE`), [
        volunteerId,
        id,
      ]);
      const request = rows[0];
      if (!request) {
        const row = await manager.getRepository(ServiceRequestEntity).findOneBy({ id });
        if (!row || (row.claimedBy !== volunteerId && row.status !== RequestStatus.OPEN)) throw CommonError.notFound('request');
        throw TimeBankError.illegalTransition('request', row.status.toLowerCase(), 'given back');
      }
      await this.notifications.record(manager, [givenBackEvent(request)]);
      return { status: 200, body: toView(await manager.getRepository(ServiceRequestEntity).findOneByOrFail({ id })) };
    });
    return body;
  }

  /**
   * The claimer reports the claimed request done: it becomes a service record awaiting the
   * senior's confirmation, in the same transaction as the request's move to COMPLETED.
   */
  async complete(volunteerId: string, id: string, input: { startedAt?: string; durationMinutes?: number; note?: string }): Promise<ServiceRecordView> {
    return this.transactions.run(async (manager) => {
      const row = await manager.getRepository(ServiceRequestEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.claimedBy !== volunteerId) throw CommonError.notFound('request');
      if (row.status !== RequestStatus.CLAIMED) throw TimeBankError.illegalTransition('request', row.status.toLowerCase(), 'completed');
      const record = await this.services.recordIn(
        manager,
        volunteerId,
        {
          recipientId: row.seniorId,
          serviceType: row.serviceType,
          startedAt: input.startedAt ?? new Date(row.wantedAt).toISOString(),
          durationMinutes: input.durationMinutes ?? row.durationMinutes,
          note: input.note ?? row.note ?? undefined,
        },
        row.id,
      );
      await manager.query(`UPDATE time_bank_requests SET status = 'COMPLETED', service_id = $2 WHERE id = $1`, [id, record.id]);
      return record;
    });
  }

  /** Replaces the volunteer's declared skills. */
  async setSkills(volunteerId: string, skills: ServiceType[]): Promise<ServiceType[]> {
    await this.transactions.run(async (manager) => {
      await manager.query(`DELETE FROM time_bank_volunteer_skills WHERE volunteer_id = $1`, [volunteerId]);
      for (const skill of new Set(skills)) {
        await manager.query(`INSERT INTO time_bank_volunteer_skills (volunteer_id, service_type) VALUES ($1, $2)`, [volunteerId, skill]);
      }
    });
    return this.skills(volunteerId);
  }

  async skills(volunteerId: string): Promise<ServiceType[]> {
    const rows: { service_type: ServiceType }[] = await this.dataSource.query(
      `SELECT service_type FROM time_bank_volunteer_skills WHERE volunteer_id = $1 ORDER BY service_type`,
      [volunteerId],
    );
    return rows.map((row) => row.service_type);
  }

  /**
   * Adds, to each CLAIMED request, the other side's name and phone as `viewer` may see it: the
   * claimer sees the senior; the senior's side (the senior, staff) sees the volunteer. Nothing
   * for anyone else, nor once the request is closed.
   */
  private async withContacts(viewerId: string, views: ServiceRequestView[]): Promise<ServiceRequestView[]> {
    const claimed = views.filter((view) => view.status === RequestStatus.CLAIMED && view.claimedBy);
    if (claimed.length === 0) return views;
    const people = new Map(
      (await this.users.findManyByIds([...new Set(claimed.flatMap((view) => [view.seniorId, view.claimedBy as string]))])).map((user) => [
        user.id,
        { name: user.name, phone: user.phone },
      ]),
    );
    return views.map((view) => {
      if (view.status !== RequestStatus.CLAIMED || !view.claimedBy) return view;
      if (view.claimedBy === viewerId) {
        const senior = people.get(view.seniorId);
        return senior ? { ...view, senior } : view;
      }
      const volunteer = people.get(view.claimedBy);
      return volunteer ? { ...view, volunteer } : view;
    });
  }

  private async get(id: string): Promise<ServiceRequestView> {
    const row = await this.dataSource.getRepository(ServiceRequestEntity).findOneByOrFail({ id });
    return toView(row);
  }
}
