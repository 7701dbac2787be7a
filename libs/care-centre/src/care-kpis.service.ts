import { Injectable } from '@nestjs/common';
import { CommonError } from '@app/platform';
import { addDays, daysInclusive, districtDay, kpiPeriod, rate } from './care-centre.rules';
import { CONTRACT_WARNING_DAYS, KPI_MAX_DAYS, type ServiceType } from './care-centre.types';
import { CareCentresRepository, type PeriodTotals } from './care-centres.repository';

/** The district figures over a period; see KpisDto for each formula. */
export interface CareKpis {
  from: string;
  to: string;
  days: number;
  centres: number;
  operating: number;
  socializedOperationRate: number;
  sunshineKitchenCoverage: number;
  servicesByType: Record<ServiceType, number>;
  attendanceRate: number;
  contractsEndingWithin60Days: number;
  contractsExpired: number;
  checkIns: number;
  operatingDayCapacity: number;
}

/**
 * District figures, computed on every request. Centre counts describe the centres as they stood
 * at the end of the period's last day, and attendance is set against the capacity of the centres
 * operating on each of its days (`care_centre_states`); contracts are as they are now. Services
 * and check-ins are summed over the period by their Shanghai calendar day from the daily totals
 * the database keeps from the records.
 */
@Injectable()
export class CareKpisService {
  constructor(private readonly centres: CareCentresRepository) {}

  /** Without `from` and `to`, the current month in Shanghai (see `kpiPeriod`). */
  async figures(fromDay?: string, toDay?: string): Promise<CareKpis> {
    const today = districtDay(new Date());
    const period = kpiPeriod(fromDay, toDay, today);
    if (!period) {
      const missing = fromDay === undefined ? 'from' : 'to';
      throw CommonError.validation('Give both from and to, or neither for the current month.', [
        { field: missing, message: 'is required when the other end is given' },
      ]);
    }
    const { from, to } = period;
    if (from > to) throw CommonError.validation('from must not be after to.', [{ field: 'from', message: 'must not be after to' }]);
    const days = daysInclusive(from, to);
    if (days > KPI_MAX_DAYS) {
      throw CommonError.validation(`The period may cover at most ${KPI_MAX_DAYS} days.`, [
        { field: 'to', message: `must be at most ${KPI_MAX_DAYS - 1} days after from` },
      ]);
    }
    const [centres, totals] = await Promise.all([
      this.centres.centreFigures(today, addDays(today, CONTRACT_WARNING_DAYS), from, to),
      this.centres.periodTotals(from, to),
    ]);
    const { checkIns, ...servicesByType } = totals;
    return {
      from,
      to,
      days,
      centres: centres.centres,
      operating: centres.operating,
      socializedOperationRate: rate(centres.operatingSocial, centres.operating),
      sunshineKitchenCoverage: rate(centres.operatingWithKitchen, centres.operating),
      servicesByType,
      attendanceRate: rate(checkIns, centres.operatingCapacityDays),
      contractsEndingWithin60Days: centres.contractsEndingSoon,
      contractsExpired: centres.contractsExpired,
      checkIns,
      operatingDayCapacity: centres.operatingDayCapacity,
    };
  }

  /** Whether the daily totals of a period equal the records counted one by one. */
  async audit(from: string, to: string): Promise<{ totals: PeriodTotals; records: PeriodTotals; consistent: boolean }> {
    const [totals, records] = await Promise.all([this.centres.periodTotals(from, to), this.centres.periodTotalsFromRecords(from, to)]);
    const consistent = (Object.keys(totals) as (keyof PeriodTotals)[]).every((key) => totals[key] === records[key]);
    return { totals, records, consistent };
  }
}
