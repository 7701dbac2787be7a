import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@app/platform';

/** One facility's bed figures over a period, replayed from the bed history. */
export interface FacilityPeriodFigures {
  facilityId: string;
  name: string;
  kind: string;
  /** Beds that existed at the end of the period. */
  totalBeds: number;
  /** Beds OCCUPIED or ON_LEAVE at the end of the period. */
  occupiedAtEnd: number;
  /** Bed-seconds in the period (each bed from its creation). */
  bedSeconds: number;
  /** Bed-seconds spent OCCUPIED or ON_LEAVE in the period. */
  occupiedSeconds: number;
  admissions: number;
  discharges: number;
}

/**
 * The period figures of every bed-holding facility, replayed from `bed_events` alone: each event
 * opens a span of its `to_status` that lasts until the bed's next event (or the end of the
 * period). Occupied means OCCUPIED or ON_LEAVE (a resident on leave keeps the bed). Admissions
 * are ADMIT events, plus TRANSFER_IN events whose resident left a bed of another facility;
 * discharges are DISCHARGE events, plus TRANSFER_OUT events to another facility. A transfer
 * within one facility is neither. The period is [$1, $2); the state "at the end" is the state
 * after every event at or before $2.
 */
export const BED_PERIOD_FIGURES_SQL = `
  WITH ev AS (
    SELECT e.facility_id, e.bed_id, e.at, e.action, e.to_status,
           lead(e.at) OVER (PARTITION BY e.bed_id ORDER BY e.version) AS next_at
      FROM bed_events e
     WHERE e.at <= $2
  ), spans AS (
    SELECT facility_id, next_at, action, at, to_status IN ('OCCUPIED', 'ON_LEAVE') AS occupied,
           greatest(extract(epoch FROM least(coalesce(next_at, $2), $2) - greatest(at, $1)), 0) AS seconds
      FROM ev
  ), moved AS (
    SELECT i.facility_id AS to_facility, o.facility_id AS from_facility
      FROM bed_events i
      JOIN LATERAL (
        SELECT o.facility_id FROM bed_events o
         WHERE o.action = 'TRANSFER_OUT' AND o.resident_id = i.resident_id AND o.id < i.id
         ORDER BY o.id DESC LIMIT 1
      ) o ON true
     WHERE i.action = 'TRANSFER_IN' AND i.at >= $1 AND i.at < $2 AND o.facility_id <> i.facility_id
  ), per_facility AS (
    SELECT facility_id,
           count(*) FILTER (WHERE next_at IS NULL) AS total_beds,
           count(*) FILTER (WHERE next_at IS NULL AND occupied) AS occupied_at_end,
           coalesce(sum(seconds), 0) AS bed_seconds,
           coalesce(sum(seconds) FILTER (WHERE occupied), 0) AS occupied_seconds,
           count(*) FILTER (WHERE action = 'ADMIT' AND at >= $1 AND at < $2) AS admits,
           count(*) FILTER (WHERE action = 'DISCHARGE' AND at >= $1 AND at < $2) AS discharges
      FROM spans GROUP BY facility_id
  )
  SELECT f.id AS "facilityId", f.name, f.kind,
         coalesce(p.total_beds, 0)::int AS "totalBeds",
         coalesce(p.occupied_at_end, 0)::int AS "occupiedAtEnd",
         coalesce(p.bed_seconds, 0)::float8 AS "bedSeconds",
         coalesce(p.occupied_seconds, 0)::float8 AS "occupiedSeconds",
         (coalesce(p.admits, 0) + (SELECT count(*) FROM moved WHERE moved.to_facility = f.id))::int AS "admissions",
         (coalesce(p.discharges, 0) + (SELECT count(*) FROM moved WHERE moved.from_facility = f.id))::int AS "discharges"
    FROM facilities f
    LEFT JOIN per_facility p ON p.facility_id = f.id
   WHERE f.created_at < $2 AND (f.kind <> 'CARE_CENTRE' OR p.facility_id IS NOT NULL)
   ORDER BY f.kind, f.name, f.id`;

/** Bed figures for reports; reads may lag, so they go to the read replica when there is one. */
@Injectable()
export class BedFiguresService {
  constructor(private readonly read: ReadDatabase) {}

  /** Per facility over [start, end): `end` should not be later than now (the future has no history yet). */
  async periodFigures(start: Date, end: Date): Promise<FacilityPeriodFigures[]> {
    return this.read.query<FacilityPeriodFigures & Record<string, unknown>>(BED_PERIOD_FIGURES_SQL, [start.toISOString(), end.toISOString()]);
  }
}
