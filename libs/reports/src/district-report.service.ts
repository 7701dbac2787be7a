import { Injectable } from '@nestjs/common';
import { BedFiguresService } from '@app/bed-inventory';
import { CareKpisService } from '@app/care-centre';
import { TermFiguresService } from '@app/enrolment';
import { LedgerFiguresService } from '@app/time-bank';
import type { DistrictReportDto, ReportBedTotalsDto, ReportFacilityDto } from './dto/report.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A share between 0 and 1 rounded to 4 decimals; 0 when there is nothing to divide by (as the care-centre figures). */
export function share(numerator: number, denominator: number): number {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : 0;
}

/** The first instant of a calendar day in Shanghai (UTC+8 all year, no daylight saving). */
export function shanghaiMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/**
 * The bureau's district report over a period of Shanghai calendar days, assembled from each
 * domain's own figures: the care centres' KPI service (which also validates the period and
 * picks the current month by default), the bed history replay, the ledger journal and the
 * enrolment records. Each domain reads from the read replica when there is one.
 */
@Injectable()
export class DistrictReportService {
  constructor(
    private readonly careKpis: CareKpisService,
    private readonly beds: BedFiguresService,
    private readonly ledger: LedgerFiguresService,
    private readonly terms: TermFiguresService,
  ) {}

  async report(fromDay?: string, toDay?: string, now = new Date()): Promise<DistrictReportDto> {
    // First: it refuses a bad period (one end only, from after to, more than 366 days) with a 400.
    const care = await this.careKpis.figures(fromDay, toDay);
    const start = shanghaiMidnight(care.from);
    const end = new Date(shanghaiMidnight(care.to).getTime() + DAY_MS);
    // The bed history ends now: a period that runs into the future is measured up to now.
    const asOf = new Date(Math.max(start.getTime(), Math.min(end.getTime(), now.getTime())));
    const [facilities, ledger, terms] = await Promise.all([
      this.beds.periodFigures(start, asOf),
      this.ledger.periodFigures(start, end),
      this.terms.overlapping(start, end),
    ]);

    const rows: ReportFacilityDto[] = facilities.map((f) => ({
      facilityId: f.facilityId,
      name: f.name,
      totalBeds: f.totalBeds,
      occupiedAtEnd: f.occupiedAtEnd,
      occupancyRateAtEnd: share(f.occupiedAtEnd, f.totalBeds),
      averageOccupancyRate: share(f.occupiedSeconds, f.bedSeconds),
      admissions: f.admissions,
      discharges: f.discharges,
    }));
    const sum = (pick: (f: (typeof facilities)[number]) => number): number => facilities.reduce((total, f) => total + pick(f), 0);
    const district: ReportBedTotalsDto = {
      totalBeds: sum((f) => f.totalBeds),
      occupiedAtEnd: sum((f) => f.occupiedAtEnd),
      occupancyRateAtEnd: share(
        sum((f) => f.occupiedAtEnd),
        sum((f) => f.totalBeds),
      ),
      averageOccupancyRate: share(
        sum((f) => f.occupiedSeconds),
        sum((f) => f.bedSeconds),
      ),
      admissions: sum((f) => f.admissions),
      discharges: sum((f) => f.discharges),
    };
    return {
      from: care.from,
      to: care.to,
      beds: { facilities: rows, district, asOf: asOf.toISOString() },
      careCentres: {
        centres: care.centres,
        operating: care.operating,
        socializedOperationRate: care.socializedOperationRate,
        sunshineKitchenCoverage: care.sunshineKitchenCoverage,
        servicesByType: care.servicesByType,
        attendanceRate: care.attendanceRate,
        checkIns: care.checkIns,
      },
      timeBank: {
        earnedMinutes: ledger.earnedMinutes,
        redeemedMinutes: ledger.redeemedMinutes,
        giftedMinutes: ledger.giftedMinutes,
        activeVolunteers: ledger.activeVolunteers,
      },
      enrolment: {
        terms: terms.map((t) => ({
          termId: t.termId,
          name: t.name,
          applicants: t.applicants,
          seats: t.seats,
          confirmed: t.confirmed,
          waitlisted: t.waitlisted,
          rejected: t.rejected,
        })),
      },
      generatedAt: now.toISOString(),
    };
  }
}
