import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ReadDatabase } from '@app/platform';
import type { CentreStatus, OperatorKind, ServiceType } from './care-centre.types';

/** The columns a centre owns (name and street belong to its facility), dates as YYYY-MM-DD text. */
export interface CentreFields {
  operatorKind: OperatorKind;
  operatorName: string | null;
  contractEndsOn: string | null;
  status: CentreStatus;
  dayCapacity: number;
  sunshineKitchen: boolean;
}

/** A centre with its facility's name and street. */
export interface CentreRow extends CentreFields {
  id: string;
  name: string;
  street: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CheckInRow {
  id: string;
  centreId: string;
  seniorId: string;
  day: string;
  checkedInAt: Date;
}

export interface ServiceRecordRow {
  id: string;
  centreId: string;
  seniorId: string;
  serviceType: ServiceType;
  occurredAt: Date;
  occurredOn: string;
  quantity: number;
}

/** A check-in or a service record withdrawn: what it was, who entered it and when, who withdrew it and when. */
export interface WithdrawalRow {
  kind: 'CHECK_IN' | 'SERVICE_RECORD';
  entryId: string;
  centreId: string;
  centreName: string;
  seniorId: string;
  /** Null for a check-in. */
  serviceType: ServiceType | null;
  /** Null for a check-in. */
  quantity: number | null;
  /** When the senior came or was served. */
  occurredAt: Date;
  enteredAt: Date;
  enteredBy: string;
  withdrawnAt: Date;
  withdrawnBy: string;
}

const SERVICE_RECORD_COLUMNS = `id, centre_id AS "centreId", senior_id AS "seniorId", service_type AS "serviceType",
  occurred_at AS "occurredAt", occurred_on::text AS "occurredOn", quantity`;

/** Check-ins and service quantities by type over a period. */
export type PeriodTotals = { checkIns: number } & Record<ServiceType, number>;

export interface CentreFigures {
  centres: number;
  operating: number;
  operatingSocial: number;
  operatingWithKitchen: number;
  operatingDayCapacity: number;
  /** The day capacity of the centres operating on each day of the period, summed over its days. */
  operatingCapacityDays: number;
  contractsEndingSoon: number;
  contractsExpired: number;
}

const CHECK_IN_COLUMNS = `id, centre_id AS "centreId", senior_id AS "seniorId", day::text AS "day", checked_in_at AS "checkedInAt"`;

const CENTRE_COLUMNS = `
  c.facility_id AS "id", f.name, f.street, c.operator_kind AS "operatorKind", c.operator_name AS "operatorName",
  c.contract_ends_on::text AS "contractEndsOn", c.status, c.day_capacity AS "dayCapacity",
  c.sunshine_kitchen AS "sunshineKitchen", c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/**
 * Centres, check-ins and service records. Centre rows are read joined to their facility, whose
 * name and street they show; every write takes the caller's transaction.
 */
@Injectable()
export class CareCentresRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly read: ReadDatabase,
  ) {}

  async insertCentre(manager: EntityManager, facilityId: string, fields: CentreFields): Promise<void> {
    await manager.query(
      `INSERT INTO care_centres (facility_id, operator_kind, operator_name, contract_ends_on, status, day_capacity, sunshine_kitchen)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [facilityId, fields.operatorKind, fields.operatorName, fields.contractEndsOn, fields.status, fields.dayCapacity, fields.sunshineKitchen],
    );
  }

  async updateCentre(manager: EntityManager, id: string, fields: CentreFields): Promise<void> {
    await manager.query(
      `UPDATE care_centres
          SET operator_kind = $2, operator_name = $3, contract_ends_on = $4, status = $5, day_capacity = $6,
              sunshine_kitchen = $7, updated_at = now()
        WHERE facility_id = $1`,
      [id, fields.operatorKind, fields.operatorName, fields.contractEndsOn, fields.status, fields.dayCapacity, fields.sunshineKitchen],
    );
  }

  /** One centre; `lock` takes the row for the rest of the caller's transaction. */
  /** Whether the senior has ever checked in at one of the centres. */
  async attendsAnyOf(seniorId: string, centreIds: string[]): Promise<boolean> {
    const rows: { attends: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM care_check_ins WHERE centre_id = ANY ($2::uuid[]) AND senior_id = $1) AS attends`,
      [seniorId, centreIds],
    );
    return rows[0]?.attends === true;
  }

  /** The centres a senior has checked in at. */
  async centresAttendedBy(seniorId: string): Promise<string[]> {
    const rows: { centreId: string }[] = await this.dataSource.query(`SELECT DISTINCT centre_id AS "centreId" FROM care_check_ins WHERE senior_id = $1`, [
      seniorId,
    ]);
    return rows.map((row) => row.centreId);
  }

  /** Every senior who has checked in at one of `centreIds`. */
  async seniorsAttending(centreIds: string[]): Promise<string[]> {
    const rows: { seniorId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT senior_id AS "seniorId" FROM care_check_ins WHERE centre_id = ANY ($1::uuid[])`,
      [centreIds],
    );
    return rows.map((row) => row.seniorId);
  }

  /** The pool's manager, for reads outside a transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async findCentre(manager: EntityManager, id: string, lock = false): Promise<CentreRow | null> {
    const rows: CentreRow[] = await manager.query(
      `SELECT ${CENTRE_COLUMNS} FROM care_centres c JOIN facilities f ON f.id = c.facility_id
        WHERE c.facility_id = $1 ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async listCentres(filter: { street?: string; status?: CentreStatus }, limit: number, offset: number): Promise<{ rows: CentreRow[]; total: number }> {
    const where = `($1::text IS NULL OR f.street = $1) AND ($2::text IS NULL OR c.status = $2)`;
    const parameters = [filter.street ?? null, filter.status ?? null];
    const [rows, count] = await Promise.all([
      this.dataSource.query<CentreRow[]>(
        `SELECT ${CENTRE_COLUMNS} FROM care_centres c JOIN facilities f ON f.id = c.facility_id
          WHERE ${where} ORDER BY f.street, f.name, c.facility_id LIMIT $3 OFFSET $4`,
        [...parameters, limit, offset],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM care_centres c JOIN facilities f ON f.id = c.facility_id WHERE ${where}`,
        parameters,
      ),
    ]);
    return { rows, total: count[0].total };
  }

  /** Inserts a check-in dated with the Shanghai calendar day of the database's clock. */
  async insertCheckIn(manager: EntityManager, input: { centreId: string; seniorId: string; recordedBy: string }): Promise<CheckInRow> {
    const rows: CheckInRow[] = await manager.query(
      `INSERT INTO care_check_ins (centre_id, senior_id, recorded_by, checked_in_at, day)
       VALUES ($1, $2, $3, now(), (now() AT TIME ZONE 'Asia/Shanghai')::date)
       RETURNING ${CHECK_IN_COLUMNS}`,
      [input.centreId, input.seniorId, input.recordedBy],
    );
    return rows[0];
  }

  /** One check-in of the centre, or null. */
  async findCheckIn(centreId: string, checkInId: string): Promise<CheckInRow | null> {
    const rows: CheckInRow[] = await this.dataSource.query(`SELECT ${CHECK_IN_COLUMNS} FROM care_check_ins WHERE id = $1 AND centre_id = $2`, [
      checkInId,
      centreId,
    ]);
    return rows[0] ?? null;
  }

  /**
   * Withdraws a check-in of today in one statement: deletes it (the daily totals' trigger counts
   * it out) and keeps what it was, and who withdrew it, in care_check_in_withdrawals. Null when
   * the centre has no such check-in today (withdrawn meanwhile, or of an earlier day).
   */
  async withdrawCheckIn(manager: EntityManager, input: { centreId: string; checkInId: string; withdrawnBy: string }): Promise<CheckInRow | null> {
    const rows: CheckInRow[] = await manager.query(
      `WITH gone AS (
         DELETE FROM care_check_ins
          WHERE id = $1 AND centre_id = $2 AND day = (now() AT TIME ZONE 'Asia/Shanghai')::date
         RETURNING *
       ), kept AS (
         INSERT INTO care_check_in_withdrawals (check_in_id, centre_id, senior_id, day, checked_in_at, recorded_by, withdrawn_by)
         SELECT id, centre_id, senior_id, day, checked_in_at, recorded_by, $3 FROM gone
       )
       SELECT ${CHECK_IN_COLUMNS} FROM gone`,
      [input.checkInId, input.centreId, input.withdrawnBy],
    );
    return rows[0] ?? null;
  }

  /** Check-ins of one centre on one day, in arrival order (the unique index serves the lookup). */
  async checkInsOn(centreId: string, day: string): Promise<CheckInRow[]> {
    return this.dataSource.query(
      `SELECT ${CHECK_IN_COLUMNS}
         FROM care_check_ins WHERE centre_id = $1 AND day = $2 ORDER BY checked_in_at, id`,
      [centreId, day],
    );
  }

  /**
   * The centre's day capacity on each day of [from, to] (YYYY-MM-DD → places), as it stood at the
   * end of that day (`care_centre_states`; before its first state, as that state says).
   */
  async capacityByDay(centreId: string, from: string, to: string): Promise<Map<string, number>> {
    // A centre's spans cover every day once, so each day finds one state (none before any state exists).
    const rows: { day: string; capacity: number }[] = await this.dataSource.query(
      `WITH spans AS (${stateSpans('WHERE centre_id = $1')})
       SELECT d::date::text AS day, coalesce(s.day_capacity, 0) AS capacity
         FROM generate_series($2::date, $3::date, interval '1 day') AS d
         LEFT JOIN spans s ON d::date BETWEEN s.first_day AND s.last_day`,
      [centreId, from, to],
    );
    return new Map(rows.map((row) => [row.day, row.capacity]));
  }

  /** Check-ins of one centre on the days [from, to], by day then arrival. */
  async checkInsBetween(centreId: string, from: string, to: string): Promise<CheckInRow[]> {
    return this.dataSource.query(
      `SELECT ${CHECK_IN_COLUMNS}
         FROM care_check_ins WHERE centre_id = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day, checked_in_at, id`,
      [centreId, from, to],
    );
  }

  async insertServiceRecord(
    manager: EntityManager,
    input: { centreId: string; seniorId: string; serviceType: ServiceType; occurredAt: string; quantity: number; recordedBy: string },
  ): Promise<ServiceRecordRow> {
    const rows: ServiceRecordRow[] = await manager.query(
      `INSERT INTO care_service_records (centre_id, senior_id, service_type, occurred_at, quantity, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${SERVICE_RECORD_COLUMNS}`,
      [input.centreId, input.seniorId, input.serviceType, input.occurredAt, input.quantity, input.recordedBy],
    );
    return rows[0];
  }

  /** The service records entered at a centre on a Shanghai day, in the order they were entered. */
  async serviceRecordsEnteredOn(centreId: string, day: string): Promise<ServiceRecordRow[]> {
    return this.dataSource.query(
      `SELECT ${SERVICE_RECORD_COLUMNS} FROM care_service_records
        WHERE centre_id = $1
          AND created_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND created_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
        ORDER BY created_at, id`,
      [centreId, day],
    );
  }

  /** One service record of the centre, or null. */
  async findServiceRecord(centreId: string, recordId: string): Promise<ServiceRecordRow | null> {
    const rows: ServiceRecordRow[] = await this.dataSource.query(
      `SELECT ${SERVICE_RECORD_COLUMNS} FROM care_service_records WHERE id = $1 AND centre_id = $2`,
      [recordId, centreId],
    );
    return rows[0] ?? null;
  }

  /**
   * Withdraws a service record entered today in one statement: deletes it (the daily totals'
   * trigger takes its quantity out) and keeps what it was, and who withdrew it, in
   * care_service_record_withdrawals. Null when the centre has no such record entered today.
   */
  async withdrawServiceRecord(manager: EntityManager, input: { centreId: string; recordId: string; withdrawnBy: string }): Promise<ServiceRecordRow | null> {
    const rows: ServiceRecordRow[] = await manager.query(
      `WITH gone AS (
         DELETE FROM care_service_records
          WHERE id = $1 AND centre_id = $2
            AND (created_at AT TIME ZONE 'Asia/Shanghai')::date = (now() AT TIME ZONE 'Asia/Shanghai')::date
         RETURNING *
       ), kept AS (
         INSERT INTO care_service_record_withdrawals
           (record_id, centre_id, senior_id, service_type, occurred_at, quantity, recorded_by, created_at, withdrawn_by)
         SELECT id, centre_id, senior_id, service_type, occurred_at, quantity, recorded_by, created_at, $3 FROM gone
       )
       SELECT ${SERVICE_RECORD_COLUMNS} FROM gone`,
      [input.recordId, input.centreId, input.withdrawnBy],
    );
    return rows[0] ?? null;
  }

  /**
   * Withdrawn check-ins and service records, of one centre or (`centreId` null) of all, withdrawn
   * within [start, end) when given, the latest withdrawal first: `page` of them (all without it),
   * and how many there are in all. Each table's (centre_id, withdrawn_at) index finds one
   * centre's rows, already in the order they are listed.
   */
  async withdrawals(
    filter: { centreId: string | null; start?: Date; end?: Date },
    page?: { limit: number; offset: number },
  ): Promise<{ rows: WithdrawalRow[]; total: number }> {
    const parameters: unknown[] = [];
    const conditions: string[] = [];
    if (filter.centreId) conditions.push(`centre_id = $${parameters.push(filter.centreId)}`);
    if (filter.start) conditions.push(`withdrawn_at >= $${parameters.push(filter.start)}`);
    if (filter.end) conditions.push(`withdrawn_at < $${parameters.push(filter.end)}`);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const paging = page ? `LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}` : '';
    const [rows, count] = await Promise.all([
      this.dataSource.query<WithdrawalRow[]>(
        `SELECT w.*, f.name AS "centreName" FROM (
           SELECT 'CHECK_IN' AS kind, check_in_id AS "entryId", centre_id AS "centreId", senior_id AS "seniorId",
                  NULL::varchar AS "serviceType", NULL::int AS quantity, checked_in_at AS "occurredAt", checked_in_at AS "enteredAt",
                  recorded_by AS "enteredBy", withdrawn_at AS "withdrawnAt", withdrawn_by AS "withdrawnBy"
             FROM care_check_in_withdrawals ${where}
           UNION ALL
           SELECT 'SERVICE_RECORD', record_id, centre_id, senior_id, service_type, quantity, occurred_at, created_at, recorded_by,
                  withdrawn_at, withdrawn_by
             FROM care_service_record_withdrawals ${where}
           ORDER BY "withdrawnAt" DESC, "entryId" DESC ${paging}
         ) w JOIN facilities f ON f.id = w."centreId"
         ORDER BY w."withdrawnAt" DESC, w."entryId" DESC`,
        page ? [...parameters, page.limit, page.offset] : parameters,
      ),
      // Without a page every row is read, and they are the count.
      page
        ? this.dataSource.query<{ total: number }[]>(
            `SELECT (SELECT count(*) FROM care_check_in_withdrawals ${where})::int
                  + (SELECT count(*) FROM care_service_record_withdrawals ${where})::int AS total`,
            parameters,
          )
        : null,
    ]);
    return { rows, total: count ? count[0].total : rows.length };
  }

  /**
   * Demo history in two statements: each senior attends their centre on about four days in five
   * (not on Sundays) from `from` to `to`, has lunch there every time, and now and then takes part
   * in an activity or gets cleaning, medical, hardship or emergency help, each entered as it was given.
   */
  async insertDemoHistory(
    manager: EntityManager,
    input: { attendance: { seniorId: string; centreId: string }[]; recordedBy: string; from: string; to: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO care_check_ins (centre_id, senior_id, day, checked_in_at, recorded_by)
       SELECT a.centre_id, a.senior_id, d::date, (d::date + time '08:00' + (abs(hashtext(a.senior_id::text || d::text)) % 90) * interval '1 minute')
              AT TIME ZONE 'Asia/Shanghai', $4
         FROM jsonb_to_recordset($1::jsonb) AS a(senior_id uuid, centre_id uuid)
        CROSS JOIN generate_series($2::date, $3::date, interval '1 day') AS d
        WHERE extract(isodow FROM d) < 7 AND abs(hashtext(a.senior_id::text || d::text)) % 5 <> 0`,
      [JSON.stringify(input.attendance.map((a) => ({ senior_id: a.seniorId, centre_id: a.centreId }))), input.from, input.to, input.recordedBy],
    );
    await manager.query(
      `INSERT INTO care_service_records (centre_id, senior_id, service_type, occurred_at, quantity, recorded_by, created_at)
       SELECT c.centre_id, c.senior_id, s.service_type, (c.day + s.at) AT TIME ZONE 'Asia/Shanghai', s.quantity, $3,
              (c.day + s.at) AT TIME ZONE 'Asia/Shanghai'
         FROM care_check_ins c
        CROSS JOIN (VALUES ('MEAL', time '11:30', 1, 0), ('RECREATION', time '14:00', 1, 2), ('CLEANING', time '15:30', 1, 7),
                           ('MEDICAL', time '09:30', 1, 5), ('HARDSHIP', time '10:00', 2, 23), ('EMERGENCY', time '16:00', 1, 41)) AS s(service_type, at, quantity, every)
        WHERE c.day BETWEEN $1::date AND $2::date AND c.recorded_by = $3
          AND (s.every = 0 OR abs(hashtext(c.senior_id::text || c.day::text || s.service_type)) % s.every = 0)`,
      [input.from, input.to, input.recordedBy],
    );
  }

  /**
   * The centres over the period [from, to]: as they stood at the end of its last day, and their
   * operating capacity day by day (`care_centre_states`); contracts as they are now, `warnUntil`
   * being the last day of the contract warning.
   */
  async centreFigures(today: string, warnUntil: string, from: string, to: string): Promise<CentreFigures> {
    // District figures may lag: from the read replica when there is one.
    const rows = await this.read.query<CentreFigures>(CENTRE_FIGURES_SQL, [today, warnUntil, from, to]);
    return rows[0];
  }

  /** Check-ins and quantity of services per type whose Shanghai day lies in [from, to], from the daily totals. */
  async periodTotals(from: string, to: string): Promise<PeriodTotals> {
    const rows = await this.read.query<PeriodTotals>(PERIOD_TOTALS_SQL, [from, to]);
    return rows[0];
  }

  /** The same totals counted from the records themselves; the audit that the daily totals are exact. */
  async periodTotalsFromRecords(from: string, to: string): Promise<PeriodTotals> {
    const rows: PeriodTotals[] = await this.dataSource.query(PERIOD_TOTALS_FROM_RECORDS_SQL, [from, to]);
    return rows[0];
  }
}

/**
 * Each recorded state of a centre (`care_centre_states`, filtered by `where`) with the Shanghai
 * days it holds for, `first_day` to `last_day`: from the day it began to the day before the next
 * one began (two changes on one day: the later holds that day). A centre's first state also holds
 * for every day before it, as nothing earlier is known, and its last for every day after.
 */
function stateSpans(where = ''): string {
  return `SELECT centre_id, status, operator_kind, sunshine_kitchen, day_capacity,
           CASE WHEN lag(valid_from) OVER w IS NULL THEN '-infinity'::date ELSE (valid_from AT TIME ZONE 'Asia/Shanghai')::date END AS first_day,
           coalesce((lead(valid_from) OVER w AT TIME ZONE 'Asia/Shanghai')::date - 1, 'infinity'::date) AS last_day
      FROM care_centre_states ${where}
    WINDOW w AS (PARTITION BY centre_id ORDER BY valid_from)`;
}

/**
 * The district figures' queries, exported so the plan test explains exactly these. The centres
 * are counted by their states' spans (`stateSpans`). `$1` today, `$2` the contract warning's last
 * day, `$3` and `$4` the period's first and last days.
 */
export const CENTRE_FIGURES_SQL = `
  WITH spans AS (${stateSpans()}), ended AS (
    SELECT * FROM spans WHERE $4::date BETWEEN first_day AND last_day
  )
  SELECT (SELECT count(*) FROM ended)::int AS "centres",
         (SELECT count(*) FROM ended WHERE status = 'OPERATING')::int AS "operating",
         (SELECT count(*) FROM ended WHERE status = 'OPERATING' AND operator_kind = 'SOCIAL_OPERATOR')::int AS "operatingSocial",
         (SELECT count(*) FROM ended WHERE status = 'OPERATING' AND sunshine_kitchen)::int AS "operatingWithKitchen",
         (SELECT coalesce(sum(day_capacity), 0) FROM ended WHERE status = 'OPERATING')::int AS "operatingDayCapacity",
         (SELECT coalesce(sum(day_capacity * (least(last_day, $4::date) - greatest(first_day, $3::date) + 1)), 0)
            FROM spans WHERE status = 'OPERATING' AND least(last_day, $4::date) >= greatest(first_day, $3::date))::float8 AS "operatingCapacityDays",
         (SELECT count(*) FROM care_centres
           WHERE operator_kind = 'SOCIAL_OPERATOR' AND contract_ends_on BETWEEN $1::date AND $2::date)::int AS "contractsEndingSoon",
         (SELECT count(*) FROM care_centres WHERE operator_kind = 'SOCIAL_OPERATOR' AND contract_ends_on < $1::date)::int AS "contractsExpired"`;

export const PERIOD_TOTALS_SQL = `
  SELECT coalesce(sum(check_ins), 0)::int AS "checkIns",
         coalesce(sum(meal), 0)::int AS "MEAL",
         coalesce(sum(cleaning), 0)::int AS "CLEANING",
         coalesce(sum(medical), 0)::int AS "MEDICAL",
         coalesce(sum(hardship), 0)::int AS "HARDSHIP",
         coalesce(sum(emergency), 0)::int AS "EMERGENCY",
         coalesce(sum(recreation), 0)::int AS "RECREATION"
    FROM care_centre_days
   WHERE day BETWEEN $1::date AND $2::date`;

export const PERIOD_TOTALS_FROM_RECORDS_SQL = `
  SELECT (SELECT count(*) FROM care_check_ins WHERE day BETWEEN $1::date AND $2::date)::int AS "checkIns",
         coalesce(sum(quantity) FILTER (WHERE service_type = 'MEAL'), 0)::int AS "MEAL",
         coalesce(sum(quantity) FILTER (WHERE service_type = 'CLEANING'), 0)::int AS "CLEANING",
         coalesce(sum(quantity) FILTER (WHERE service_type = 'MEDICAL'), 0)::int AS "MEDICAL",
         coalesce(sum(quantity) FILTER (WHERE service_type = 'HARDSHIP'), 0)::int AS "HARDSHIP",
         coalesce(sum(quantity) FILTER (WHERE service_type = 'EMERGENCY'), 0)::int AS "EMERGENCY",
         coalesce(sum(quantity) FILTER (WHERE service_type = 'RECREATION'), 0)::int AS "RECREATION"
    FROM care_service_records
   WHERE occurred_on BETWEEN $1::date AND $2::date`;
