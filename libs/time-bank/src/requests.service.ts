import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommonError, type Principal, TransactionRunner } from '@app/platform';
import { NotificationKind, NotificationOutbox, NotificationSources } from '@app/notifications';
import { ServiceRequestEntity } from './service-request.entity';
import { translateLedgerError } from './ledger.repository';
import { ServiceRecordsService, type ServiceRecordView } from './service-records.service';
import { StaffScope } from './staff-scope';
import { TimeBankError } from './time-bank.errors';
import { RequestStatus, type ServiceType } from './time-bank.types';

export interface NewServiceRequest {
  serviceType: ServiceType;
  wantedAt: string;
  durationMinutes: number;
  street: string;
  note?: string;
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
  /** True when the listing volunteer has the skill the request asks for. */
  matchesSkills?: boolean;
}

function toView(row: ServiceRequestEntity, matchesSkills?: boolean): ServiceRequestView {
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
  };
  if (matchesSkills !== undefined) view.matchesSkills = matchesSkills;
  return view;
}

/**
 * How long after its wanted time an open request may still be claimed (a volunteer who can come
 * a little late); after that it is `EXPIRED`.
 */
export const REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES = 60;

/** SQL: the request `r` may still be claimed at the statement's time. */
const CLAIMABLE = `r.wanted_at > now() - interval '${REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES} minutes'`;

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
  ) {}

  onModuleInit(): void {
    this.sources.register('request-expired', (now) => this.expireUnclaimed(now));
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
    return toView(row);
  }

  /** Requests with the given status, those matching the volunteer's skills first, then by wanted time. */
  async list(volunteerId: string, status: RequestStatus, limit: number, offset: number): Promise<{ items: ServiceRequestView[]; total: number }> {
    const visibleToAll = status === RequestStatus.OPEN;
    const [rows, count] = await Promise.all([
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT r.id, EXISTS (SELECT 1 FROM time_bank_volunteer_skills s WHERE s.volunteer_id = $1 AND s.service_type = r.service_type) AS matches
           FROM time_bank_requests r
          WHERE r.status = $2 AND ($3 OR r.claimed_by = $1) AND (NOT $3 OR ${CLAIMABLE})
          ORDER BY matches DESC, r.wanted_at ASC, r.id
          LIMIT $4 OFFSET $5`,
        [volunteerId, status, visibleToAll, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM time_bank_requests r WHERE r.status = $2 AND ($3 OR r.claimed_by = $1) AND (NOT $3 OR ${CLAIMABLE})`,
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
    return { items, total: count[0]?.total ?? 0 };
  }

  /**
   * Closes the open requests whose claiming time has passed and tells each one's senior, once
   * (the event key names the request); run by the notifications' sweep on every worker.
   */
  async expireUnclaimed(now: Date): Promise<number> {
    return this.transactions.run(async (manager) => {
      const [rows]: [{ id: string; senior_id: string; service_type: ServiceType; wanted_at: Date }[], number] = await manager.query(
        `UPDATE time_bank_requests SET status = 'EXPIRED'
          WHERE status = 'OPEN' AND wanted_at <= $1::timestamptz - interval '${REQUEST_CLAIMABLE_AFTER_WANTED_MINUTES} minutes'
         RETURNING id, senior_id, service_type, wanted_at`,
        [now.toISOString()],
      );
      await this.notifications.record(
        manager,
        rows.map((request) => ({
          kind: NotificationKind.REQUEST_EXPIRED,
          eventKey: `request-expired:${request.id}`,
          to: { userId: request.senior_id },
          params: { serviceType: request.service_type, at: new Date(request.wanted_at).toISOString() },
          link: '/time-bank',
        })),
      );
      return rows.length;
    });
  }

  /** Exactly one claimer wins: the update only matches while the request is still OPEN and claimable. */
  async claim(volunteerId: string, id: string): Promise<ServiceRequestView> {
    const claimed = await this.transactions.run(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected count].
      const [rows, count]: [{ senior_id: string; service_type: ServiceType; wanted_at: Date }[], number] = await manager.query(
        `UPDATE time_bank_requests r SET status = 'CLAIMED', claimed_by = $2, claimed_at = now() WHERE id = $1 AND status = 'OPEN' AND ${CLAIMABLE}
         RETURNING senior_id, service_type, wanted_at`,
        [id, volunteerId],
      );
      const request = rows[0];
      if (request) {
        await this.notifications.record(manager, [
          {
            kind: NotificationKind.REQUEST_CLAIMED,
            eventKey: `request-claimed:${id}`,
            to: { userId: request.senior_id },
            params: { serviceType: request.service_type, at: new Date(request.wanted_at).toISOString() },
            link: '/time-bank',
          },
        ]);
      }
      return count;
    });
    if (claimed === 0) {
      const row = await this.dataSource.getRepository(ServiceRequestEntity).findOneBy({ id });
      if (!row) throw CommonError.notFound('request');
      if (row.claimedBy === volunteerId && row.status === RequestStatus.CLAIMED) return toView(row);
      if (row.status === RequestStatus.OPEN || row.status === RequestStatus.EXPIRED) throw TimeBankError.requestExpired();
      throw TimeBankError.alreadyClaimed();
    }
    return this.get(id);
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

  private async get(id: string): Promise<ServiceRequestView> {
    const row = await this.dataSource.getRepository(ServiceRequestEntity).findOneByOrFail({ id });
    return toView(row);
  }
}
