import { Injectable } from '@nestjs/common';
import { maskPhone, UsersService } from '@app/identity';
import { type StreamableFile } from '@nestjs/common';
import {
  CommonError,
  exportFile,
  type ExportFormat,
  IdempotencyService,
  Permission,
  type Principal,
  reportPeriod,
  requireAccess,
  Role,
  shanghaiDateTime,
  TransactionRunner,
  violatedConstraint,
} from '@app/platform';
import { CareCentreError } from './care-centre.errors';
import { addDays, districtDay, rate } from './care-centre.rules';
import { SERVICE_TYPE_NAMES, type ServiceType } from './care-centre.types';
import type { SeniorReference } from './dto/care-centre.dto';
import { type CentreRow, type CheckInRow, CareCentresRepository, type ServiceRecordRow, type WithdrawalRow } from './care-centres.repository';

function toServiceRecordView(row: ServiceRecordRow, seniorName: string): ServiceRecordView {
  return { ...row, seniorName, occurredAt: new Date(row.occurredAt).toISOString() };
}

/** Clocks of tablets at the front desk drift; a few minutes ahead is still "now". */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A service record as callers see it (and as an idempotent replay stores it). */
export interface ServiceRecordView {
  id: string;
  centreId: string;
  seniorId: string;
  /** Whom the desk served, so its confirmation can name them. */
  seniorName: string;
  serviceType: ServiceType;
  occurredAt: string;
  occurredOn: string;
  quantity: number;
}

/** A withdrawn check-in or service record as callers see it, with the names of the senior and the staff. */
export interface WithdrawalView extends Omit<WithdrawalRow, 'occurredAt' | 'enteredAt' | 'enteredBy' | 'withdrawnAt' | 'withdrawnBy'> {
  seniorName: string;
  occurredAt: string;
  enteredAt: string;
  enteredBy: { id: string; name: string };
  withdrawnAt: string;
  withdrawnBy: { id: string; name: string };
}

export interface AttendanceRangeView {
  from: string;
  to: string;
  /** The centre's day capacity now. */
  dayCapacity: number;
  checkIns: number;
  /** Each day with the capacity the centre had that day (its history), and the day's rate against it. */
  days: { date: string; checkIns: number; dayCapacity: number; rate: number }[];
}

export interface AttendanceView {
  date: string;
  checkIns: number;
  dayCapacity: number;
  rate: number;
  /** Who came, for the centre's managers and administrators. */
  items: { checkInId: string; seniorId: string; name: string; checkedInAt: string }[];
}

/**
 * Attendance and services at a centre, recorded by its managers. The database refuses a second
 * check-in of the same senior at the same centre on the same Shanghai day, whatever the timing.
 */
@Injectable()
export class CareRecordsService {
  constructor(
    private readonly centres: CareCentresRepository,
    private readonly users: UsersService,
    private readonly tx: TransactionRunner,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Whether the senior belongs to one of these centres: has checked in there at least once. The
   * one link between a person and a facility the platform records; the time bank scopes its
   * managers by it.
   */
  async attendsAnyOf(seniorId: string, centreIds: string[]): Promise<boolean> {
    return centreIds.length > 0 && this.centres.attendsAnyOf(seniorId, centreIds);
  }

  /** The care centres a senior attends (has checked in at): their managers act for the senior. */
  async centresAttendedBy(seniorId: string): Promise<string[]> {
    return this.centres.centresAttendedBy(seniorId);
  }

  /** The seniors who attend one of `centreIds` (have checked in there): those a manager of them acts for. */
  async seniorsAttending(centreIds: string[]): Promise<string[]> {
    return centreIds.length > 0 ? this.centres.seniorsAttending(centreIds) : [];
  }

  async checkIn(principal: Principal, centreId: string, seniorId: string): Promise<CheckInRow & { seniorName: string }> {
    await this.operatingCentreOf(principal, centreId);
    const seniorName = await this.seniorNameOf(seniorId);
    try {
      const row = await this.tx.run((manager) => this.centres.insertCheckIn(manager, { centreId, seniorId, recordedBy: principal.id }));
      return { ...row, seniorName };
    } catch (error) {
      if (violatedConstraint(error) === 'uq_care_check_ins_centre_day_senior') throw CareCentreError.alreadyCheckedIn();
      if (violatedConstraint(error) === 'ck_care_centre_days_capacity') throw CareCentreError.dayCapacityReached();
      throw error;
    }
  }

  /**
   * Withdraws a check-in made by mistake (the wrong card scanned), on its own day only: the day's
   * count loses it and the senior may check in again; care_check_in_withdrawals keeps what it
   * was and who withdrew it. A centre no longer operating may still correct its day.
   */
  async withdrawCheckIn(principal: Principal, centreId: string, checkInId: string): Promise<CheckInRow & { seniorName: string }> {
    await this.managedCentre(principal, centreId);
    const row = await this.tx.run((manager) => this.centres.withdrawCheckIn(manager, { centreId, checkInId, withdrawnBy: principal.id }));
    if (!row) {
      // Not deleted: none such at this centre, or withdrawn meanwhile (404); of an earlier day (409).
      if (await this.centres.findCheckIn(centreId, checkInId)) throw CareCentreError.checkInClosed();
      throw CommonError.notFound('check-in');
    }
    const senior = await this.users.findById(row.seniorId);
    return { ...row, seniorName: senior?.name ?? '' };
  }

  /** The service records entered at the centre on a day (today by default), for its managers and administrators. */
  async serviceRecordsEntered(principal: Principal, centreId: string, date: string | undefined): Promise<{ date: string; items: ServiceRecordView[] }> {
    await this.visibleCentre(principal, centreId);
    const day = date ?? districtDay(new Date());
    const rows = await this.centres.serviceRecordsEnteredOn(centreId, day);
    const names = new Map((await this.users.findManyByIds([...new Set(rows.map((row) => row.seniorId))])).map((user) => [user.id, user.name]));
    return { date: day, items: rows.map((row) => toServiceRecordView(row, names.get(row.seniorId) ?? '')) };
  }

  /**
   * Withdraws a service record entered by mistake, on the day it was entered only: the figures
   * lose its quantity; care_service_record_withdrawals keeps what it was and who withdrew it.
   */
  async withdrawServiceRecord(principal: Principal, centreId: string, recordId: string): Promise<ServiceRecordView> {
    await this.managedCentre(principal, centreId);
    const row = await this.tx.run((manager) => this.centres.withdrawServiceRecord(manager, { centreId, recordId, withdrawnBy: principal.id }));
    if (!row) {
      // Not deleted: none such at this centre, or withdrawn meanwhile (404); entered on an earlier day (409).
      if (await this.centres.findServiceRecord(centreId, recordId)) throw CareCentreError.serviceRecordClosed();
      throw CommonError.notFound('service record');
    }
    const senior = await this.users.findById(row.seniorId);
    return toServiceRecordView(row, senior?.name ?? '');
  }

  /**
   * What a centre withdrew (or, with null, every centre: administrators only), the latest first,
   * a page at a time, of the days from–to when given: the bureau and the centre's managers see
   * every correction to the figures, what it was and who entered and withdrew it.
   */
  async withdrawals(
    principal: Principal,
    centreId: string | null,
    query: { limit: number; offset: number; from?: string; to?: string },
  ): Promise<{ items: WithdrawalView[]; total: number }> {
    if (centreId) await this.visibleCentre(principal, centreId);
    const period = query.from !== undefined || query.to !== undefined ? reportPeriod(query.from, query.to) : null;
    const { rows, total } = await this.centres.withdrawals({ centreId, start: period?.start, end: period?.end }, { limit: query.limit, offset: query.offset });
    return { items: await this.withdrawalViews(rows), total };
  }

  /**
   * The withdrawals of a period (the current month by default) as a file, one line each: when and
   * by whom, the centre (of every centre's), what it was, for whom, when it was entered and by whom.
   */
  async withdrawalsFile(principal: Principal, centreId: string | null, format: ExportFormat, from?: string, to?: string): Promise<StreamableFile> {
    const centre = centreId ? await this.visibleCentre(principal, centreId) : null;
    const period = reportPeriod(from, to);
    const items = await this.withdrawalViews((await this.centres.withdrawals({ centreId, start: period.start, end: period.end })).rows);
    const at = (iso: string) => shanghaiDateTime(new Date(iso));
    const table = {
      name: '撤销明细',
      caption: [centre ? `${centre.name}（${centre.street}）撤销记录` : '各照料中心撤销记录', `期间：${period.from} 至 ${period.to}（北京时间，按撤销的日期）`],
      columns: [
        { header: '撤销时间', width: 20 },
        ...(centre ? [] : [{ header: '照料中心', width: 26 }]),
        { header: '撤销人', width: 12 },
        { header: '记录', width: 12 },
        { header: '老人', width: 12 },
        { header: '签到或服务时间', width: 20 },
        { header: '登记时间', width: 20 },
        { header: '登记人', width: 12 },
      ],
      rows: items.map((item) => [
        at(item.withdrawnAt),
        ...(centre ? [] : [item.centreName]),
        item.withdrawnBy.name,
        item.serviceType ? `${SERVICE_TYPE_NAMES[item.serviceType]} × ${item.quantity ?? 0}` : '签到',
        item.seniorName,
        at(item.occurredAt),
        at(item.enteredAt),
        item.enteredBy.name,
      ]),
      totals: ['合计', `${items.length} 条`, ...Array<null>(centre ? 5 : 6).fill(null)],
    };
    const names = { baseName: `撤销记录_${centre?.name ?? '各照料中心'}_${period.from}_${period.to}`, asciiName: `withdrawals_${period.from}_${period.to}` };
    return exportFile(format, names, [table]);
  }

  /** Withdrawal rows with the names of the senior and of the staff who entered and withdrew each. */
  private async withdrawalViews(rows: WithdrawalRow[]): Promise<WithdrawalView[]> {
    const ids = [...new Set(rows.flatMap((row) => [row.seniorId, row.enteredBy, row.withdrawnBy]))];
    const names = new Map((await this.users.findManyByIds(ids)).map((user) => [user.id, user.name]));
    const person = (id: string) => ({ id, name: names.get(id) ?? '' });
    return rows.map((row) => ({
      ...row,
      seniorName: names.get(row.seniorId) ?? '',
      occurredAt: new Date(row.occurredAt).toISOString(),
      enteredAt: new Date(row.enteredAt).toISOString(),
      enteredBy: person(row.enteredBy),
      withdrawnAt: new Date(row.withdrawnAt).toISOString(),
      withdrawnBy: person(row.withdrawnBy),
    }));
  }

  /**
   * Records a service. With an Idempotency-Key a retry (a tablet that lost the answer) returns
   * the first record instead of counting the meal twice.
   */
  async recordService(
    principal: Principal,
    centreId: string,
    input: { seniorId: string; serviceType: ServiceType; occurredAt: string; quantity?: number },
    key?: string,
  ): Promise<{ status: number; body: ServiceRecordView; replayed: boolean }> {
    const occurredAt = new Date(input.occurredAt);
    if (occurredAt.getTime() > Date.now() + CLOCK_SKEW_MS) throw CareCentreError.invalid('occurredAt', 'must not be in the future');
    await this.operatingCentreOf(principal, centreId);
    const seniorName = await this.seniorNameOf(input.seniorId);
    const record = {
      centreId,
      seniorId: input.seniorId,
      serviceType: input.serviceType,
      occurredAt: occurredAt.toISOString(),
      quantity: input.quantity ?? 1,
    };
    try {
      return await this.idempotency.execute({ userId: principal.id, scope: 'care-centre.service-record', key, request: record }, async (manager) => {
        const row = await this.centres.insertServiceRecord(manager, { ...record, recordedBy: principal.id });
        return { status: 201, body: toServiceRecordView(row, seniorName) };
      });
    } catch (error) {
      if (violatedConstraint(error) === 'ck_care_service_records_not_future') throw CareCentreError.invalid('occurredAt', 'must not be in the future');
      throw error;
    }
  }

  async attendance(principal: Principal, centreId: string, date: string | undefined): Promise<AttendanceView> {
    const centre = await this.visibleCentre(principal, centreId);
    const day = date ?? districtDay(new Date());
    const [rows, capacities] = await Promise.all([this.centres.checkInsOn(centreId, day), this.centres.capacityByDay(centreId, day, day)]);
    const names = new Map((await this.users.findManyByIds(rows.map((row) => row.seniorId))).map((user) => [user.id, user.name]));
    // The capacity the centre had that day: an earlier day keeps its own.
    const dayCapacity = capacities.get(day) ?? centre.dayCapacity;
    return {
      date: day,
      checkIns: rows.length,
      dayCapacity,
      rate: rate(rows.length, dayCapacity),
      items: rows.map((row) => ({
        checkInId: row.id,
        seniorId: row.seniorId,
        name: names.get(row.seniorId) ?? '',
        checkedInAt: new Date(row.checkedInAt).toISOString(),
      })),
    };
  }

  /** Check-ins by day over a period (every day listed, 0 when nobody came), for the centre's managers and administrators. */
  async attendanceRange(
    principal: Principal,
    centreId: string,
    from?: string,
    to?: string,
  ): Promise<AttendanceRangeView & { rows: CheckInRow[]; centre: CentreRow }> {
    const centre = await this.visibleCentre(principal, centreId);
    const period = reportPeriod(from, to);
    const [rows, capacities] = await Promise.all([
      this.centres.checkInsBetween(centreId, period.from, period.to),
      this.centres.capacityByDay(centreId, period.from, period.to),
    ]);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.day, (counts.get(row.day) ?? 0) + 1);
    const days: AttendanceRangeView['days'] = [];
    for (let day = period.from; day <= period.to; day = addDays(day, 1)) {
      const checkIns = counts.get(day) ?? 0;
      const dayCapacity = capacities.get(day) ?? centre.dayCapacity;
      days.push({ date: day, checkIns, dayCapacity, rate: rate(checkIns, dayCapacity) });
    }
    return { from: period.from, to: period.to, dayCapacity: centre.dayCapacity, checkIns: rows.length, days, rows, centre };
  }

  /**
   * The period's attendance as a file. CSV: one line per check-in (day, time, name, masked phone
   * and ID number). The workbook: a sheet by day with totals, and the same list of check-ins.
   */
  async attendanceFile(principal: Principal, centreId: string, format: ExportFormat, from?: string, to?: string): Promise<StreamableFile> {
    const { rows, centre, ...range } = await this.attendanceRange(principal, centreId, from, to);
    const people = new Map((await this.users.findManyByIds([...new Set(rows.map((row) => row.seniorId))])).map((user) => [user.id, user]));
    const caption = [`${centre.name}（${centre.street}）签到记录`, `期间：${range.from} 至 ${range.to}（北京时间），现在的日容量 ${range.dayCapacity}`];
    const list = {
      name: '签到明细',
      caption,
      columns: [
        { header: '日期', width: 12 },
        { header: '签到时间', width: 20 },
        { header: '姓名', width: 12 },
        { header: '手机号', width: 14 },
        { header: '身份证号', width: 22 },
      ],
      rows: rows.map((row) => {
        const person = people.get(row.seniorId);
        return [
          row.day,
          shanghaiDateTime(new Date(row.checkedInAt)),
          person?.name ?? '',
          maskPhone(person?.phone ?? null) ?? '',
          person?.idCardNumberMasked ?? '',
        ];
      }),
      totals: ['合计', `${rows.length} 人次`, null, null, null],
    };
    const placeDays = range.days.reduce((sum, day) => sum + day.dayCapacity, 0);
    const byDay = {
      name: '按日汇总',
      caption,
      columns: [{ header: '日期', width: 12 }, { header: '签到人数' }, { header: '日容量' }, { header: '出勤率' }],
      rows: range.days.map((day) => [day.date, day.checkIns, day.dayCapacity, { percent: day.rate }]),
      totals: ['合计', range.checkIns, placeDays, { percent: rate(range.checkIns, placeDays) }],
    };
    const names = { baseName: `签到记录_${centre.name}_${range.from}_${range.to}`, asciiName: `attendance_${range.from}_${range.to}` };
    return exportFile(format, names, format === 'csv' ? [list] : [byDay, list]);
  }

  /** The centre if the caller manages it: 404 when there is no such centre, 403 when it is not theirs. */
  private async visibleCentre(principal: Principal, centreId: string): Promise<CentreRow> {
    const centre = await this.centres.findCentre(this.centres.manager, centreId);
    if (!centre) throw CommonError.notFound('care centre');
    requireAccess(principal, Permission.FacilityManage, centreId, { forbidden: 'You manage other centres, not this one.' });
    return centre;
  }

  /** Only a manager of the centre records at it (the route already excludes everyone else). */
  private async managedCentre(principal: Principal, centreId: string): Promise<CentreRow> {
    const centre = await this.centres.findCentre(this.centres.manager, centreId);
    if (!centre) throw CommonError.notFound('care centre');
    requireAccess(principal, Permission.FacilityOperate, centreId, { forbidden: 'You manage other centres, not this one.' });
    return centre;
  }

  /** A centre the caller manages that is operating: only such a centre records attendance and services. */
  private async operatingCentreOf(principal: Principal, centreId: string): Promise<CentreRow> {
    const centre = await this.managedCentre(principal, centreId);
    if (centre.status !== 'OPERATING') throw CareCentreError.notOperating();
    return centre;
  }

  /** The senior's id, from the id itself, their service card number or their ID number (一证通办). */
  async seniorIdOf(body: SeniorReference): Promise<string> {
    const given = [body.seniorId, body.cardNumber, body.idCardNumber].filter((value) => value !== undefined);
    if (given.length !== 1) {
      throw CommonError.validation('Name the senior once: seniorId, cardNumber or idCardNumber.', [
        { field: 'seniorId', message: 'give exactly one of seniorId, cardNumber, idCardNumber' },
      ]);
    }
    if (body.seniorId !== undefined) return body.seniorId.toLowerCase();
    const senior = await this.users.findSenior({ cardNumber: body.cardNumber, idCardNumber: body.idCardNumber });
    if (!senior) throw CareCentreError.notASenior();
    return senior.id;
  }

  /** The senior's name; NOT_A_SENIOR for anyone else. */
  private async seniorNameOf(seniorId: string): Promise<string> {
    const senior = await this.users.findById(seniorId);
    if (!senior?.roles.includes(Role.SENIOR)) throw CareCentreError.notASenior();
    return senior.name;
  }
}
