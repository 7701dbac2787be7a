import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReadDatabase } from '@app/platform';
import type { BedStatus, CareLevel } from './bed-state';
import { BedFiguresService } from './bed-figures';

/** Occupancy of one facility: live from the bed rows, or at a past instant replayed from the history. */
export interface OccupancyView {
  totalBeds: number;
  byStatus: Record<BedStatus, number>;
  byCareLevel: Record<CareLevel, number>;
  /** Beds someone lives in: OCCUPIED plus ON_LEAVE. */
  occupied: number;
  /** Of those, beds whose resident is away (ON_LEAVE), reported apart. */
  onLeave: number;
  /** occupied ÷ total (on-leave beds count as occupied), to four decimals; 0 without beds. */
  occupancyRate: number;
}

/** Bed figures of one facility over a period [from, to), every one derived from the bed history. */
export interface FacilityPeriodOccupancy {
  facilityId: string;
  name: string;
  from: string;
  to: string;
  /** Beds that existed just before `to`. */
  totalBeds: number;
  /** Beds occupied (OCCUPIED or ON_LEAVE) just before `to`. */
  occupiedAtEnd: number;
  /** Of those, on leave just before `to`. */
  onLeaveAtEnd: number;
  occupancyRateAtEnd: number;
  /** Occupied bed-time ÷ existing bed-time over [from, to): time-weighted, to four decimals. */
  averageOccupancyRate: number;
  /** ADMIT events in [from, to), and transfers in from another facility (a transfer within the facility is neither). */
  admissions: number;
  /** DISCHARGE events in [from, to), and transfers out to another facility. */
  discharges: number;
}

type Counts = Record<BedStatus | CareLevel | 'total', number>;

const COUNTS = `count(*)::int AS total,
  count(*) FILTER (WHERE status = 'AVAILABLE')::int AS "AVAILABLE",
  count(*) FILTER (WHERE status = 'RESERVED')::int AS "RESERVED",
  count(*) FILTER (WHERE status = 'OCCUPIED')::int AS "OCCUPIED",
  count(*) FILTER (WHERE status = 'ON_LEAVE')::int AS "ON_LEAVE",
  count(*) FILTER (WHERE status = 'CLEANING')::int AS "CLEANING",
  count(*) FILTER (WHERE status = 'MAINTENANCE')::int AS "MAINTENANCE",
  count(*) FILTER (WHERE care_level = 'SELF_CARE')::int AS "SELF_CARE",
  count(*) FILTER (WHERE care_level = 'ASSISTED')::int AS "ASSISTED",
  count(*) FILTER (WHERE care_level = 'NURSING')::int AS "NURSING"`;

/**
 * Each bed's status at the instant $2, from its last event up to then: `at <= $2` when $3 is
 * true, `at < $2` otherwise. A bed with no event by then did not exist yet and is not counted.
 */
const REPLAYED = `SELECT b.care_level, last.to_status AS status
  FROM beds b
  JOIN LATERAL (SELECT e.to_status FROM bed_events e
                 WHERE e.bed_id = b.id AND (e.at < $2 OR ($3 AND e.at = $2))
                 ORDER BY e.version DESC LIMIT 1) last ON true
 WHERE b.facility_id = $1`;

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** Turns status and care-level counts into the occupancy figures the API shows. */
export function toOccupancyView(c: Counts): OccupancyView {
  const occupied = c.OCCUPIED + c.ON_LEAVE;
  return {
    totalBeds: c.total,
    byStatus: { AVAILABLE: c.AVAILABLE, RESERVED: c.RESERVED, OCCUPIED: c.OCCUPIED, ON_LEAVE: c.ON_LEAVE, CLEANING: c.CLEANING, MAINTENANCE: c.MAINTENANCE },
    byCareLevel: { SELF_CARE: c.SELF_CARE, ASSISTED: c.ASSISTED, NURSING: c.NURSING },
    occupied,
    onLeave: c.ON_LEAVE,
    occupancyRate: c.total === 0 ? 0 : round4(occupied / c.total),
  };
}

/**
 * Occupancy replayed from the bed history (`bed_events`, append-only): at a past instant, and
 * over a period. No access check here: callers check who may see the facility (the occupancy
 * route: its managers and administrators; the district report: administrators).
 */
@Injectable()
export class OccupancyHistory {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly read: ReadDatabase,
    private readonly figures: BedFiguresService,
  ) {}

  /** Live figures from the bed rows. */
  async live(facilityId: string): Promise<OccupancyView> {
    const rows: Counts[] = await this.dataSource.query(`SELECT ${COUNTS} FROM beds WHERE facility_id = $1`, [facilityId]);
    return toOccupancyView(rows[0]);
  }

  /**
   * The facility's figures at the instant `at`, replayed from the history: every event at or
   * before `at` counts. Equal to `live` for `at` = now. Reads the primary, so that a replay at
   * now sees what the live figures see.
   */
  async at(facilityId: string, at: Date): Promise<OccupancyView> {
    const rows: Counts[] = await this.dataSource.query(`SELECT ${COUNTS} FROM (${REPLAYED}) replayed`, [facilityId, at, true]);
    return toOccupancyView(rows[0]);
  }

  /**
   * The facility's bed figures over [from, to) (see FacilityPeriodOccupancy); null when there
   * is no such facility or it did not exist yet. The end figures are the replay just before `to`;
   * the time-weighted rate, admissions and discharges come from the district report's own query
   * (`BedFiguresService`), so the two never count differently. May read the replica
   * (`DATABASE_READ_URL`): a report may lag.
   */
  async period(facilityId: string, from: Date, to: Date): Promise<FacilityPeriodOccupancy | null> {
    if (!(from.getTime() < to.getTime())) throw new RangeError('period: from must be before to');
    const figures = (await this.figures.periodFigures(from, to)).find((f) => f.facilityId === facilityId);
    if (!figures) return null;
    const [end] = await this.read.query<Counts>(`SELECT ${COUNTS} FROM (${REPLAYED}) replayed`, [facilityId, to, false]);
    const atEnd = toOccupancyView(end);
    return {
      facilityId,
      name: figures.name,
      from: from.toISOString(),
      to: to.toISOString(),
      totalBeds: atEnd.totalBeds,
      occupiedAtEnd: atEnd.occupied,
      onLeaveAtEnd: atEnd.onLeave,
      occupancyRateAtEnd: atEnd.occupancyRate,
      averageOccupancyRate: figures.bedSeconds > 0 ? round4(figures.occupiedSeconds / figures.bedSeconds) : 0,
      admissions: figures.admissions,
      discharges: figures.discharges,
    };
  }
}
