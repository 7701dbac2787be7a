import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CareLevel } from './bed-state';
import type { EmergencyContact } from './bed-inventory.types';
import { waitingPositionSql } from './waitlist.repository';

export interface ResidentRow {
  id: string;
  facility_id: string;
  name: string;
  id_card_masked: string;
  birth_date: string;
  care_level: CareLevel;
  emergency_contacts: EmergencyContact[];
  created_at: Date;
  bed_id: string | null;
  leave_periods: number;
  leave_seconds: number;
}

/** A senior's own bed, as she (or one acting for her) reads it. */
export interface ResidenceBedRow {
  facility: string;
  street: string;
  code: string;
  floor: number;
  room: string;
  status: 'RESERVED' | 'OCCUPIED' | 'ON_LEAVE';
  since: Date;
  holdExpiresAt: Date | null;
  expectedReturnOn: string | null;
}

export interface ResidenceWaitingRow {
  facility: string;
  since: Date;
  /** Her place on the list, as its managers see it. */
  position: number;
}

const COLUMNS = `r.id, r.facility_id, r.name, r.id_card_masked, to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date,
  r.care_level, r.emergency_contacts, r.created_at,
  (SELECT s.bed_id FROM stays s WHERE s.resident_id = r.id AND s.ended_at IS NULL) AS bed_id,
  leave.periods AS leave_periods, leave.seconds AS leave_seconds`;

/**
 * Time on leave, from the history: each LEAVE event of the resident lasts until the bed's next
 * event (RETURN or DISCHARGE, the version after it), or until now while still away.
 */
const LEAVE = `LEFT JOIN LATERAL (
  SELECT count(*)::int AS periods, coalesce(sum(extract(epoch FROM coalesce(back.at, now()) - l.at)), 0)::float8 AS seconds
    FROM bed_events l
    LEFT JOIN bed_events back ON back.bed_id = l.bed_id AND back.version = l.version + 1
   WHERE l.resident_id = r.id AND l.action = 'LEAVE') leave ON true`;

/** A resident to insert: the ID number only as ciphertext, keyed hash and masked form. */
export interface NewResident {
  facilityId: string;
  name: string;
  ciphertext: string;
  hash: string;
  masked: string;
  birthDate: string;
  careLevel: CareLevel;
  emergencyContacts: EmergencyContact[];
}

/** Resident rows; the ID number only ever as ciphertext, keyed hash and masked form. */
@Injectable()
export class ResidentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The pool's manager, for reads outside a transaction (passed explicitly, as a transaction's manager is). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async insert(manager: EntityManager, input: NewResident): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO residents (facility_id, name, id_card_ciphertext, id_card_hash, id_card_masked, birth_date, care_level, emergency_contacts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING id`,
      [input.facilityId, input.name, input.ciphertext, input.hash, input.masked, input.birthDate, input.careLevel, JSON.stringify(input.emergencyContacts)],
    );
    return rows[0].id;
  }

  async moveTo(manager: EntityManager, residentId: string, facilityId: string): Promise<void> {
    await manager.query(`UPDATE residents SET facility_id = $2 WHERE id = $1 AND facility_id <> $2`, [residentId, facilityId]);
  }

  /**
   * A facility's residents, by name, a page at a time, with how many there are; `inBed`: only
   * those a bed of the facility names now (its few hundred beds, not its years of discharges).
   */
  async listByFacility(facilityId: string, inBed: boolean, limit: number, offset: number): Promise<{ rows: ResidentRow[]; total: number }> {
    const where = `r.facility_id = $1 AND (NOT $2::boolean OR r.id IN (SELECT b.resident_id FROM beds b WHERE b.facility_id = $1 AND b.resident_id IS NOT NULL))`;
    const [rows, counted] = await Promise.all([
      this.dataSource.query<ResidentRow[]>(`SELECT ${COLUMNS} FROM residents r ${LEAVE} WHERE ${where} ORDER BY r.name, r.id LIMIT $3 OFFSET $4`, [
        facilityId,
        inBed,
        limit,
        offset,
      ]),
      this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM residents r WHERE ${where}`, [facilityId, inBed]),
    ]);
    return { rows, total: counted[0]?.total ?? 0 };
  }

  /**
   * The bed of the resident who is this user (the same ID-number hash): the one of her open stay
   * (occupied or on leave), else the one held for her; and the waiting lists she is on. Each
   * read through a unique index (the resident's hash, her open stay, her open hold).
   */
  async residenceOf(userId: string): Promise<{ bed: ResidenceBedRow | null; waiting: ResidenceWaitingRow[] }> {
    const person = `SELECT r.id FROM users u JOIN residents r ON r.id_card_hash = u.id_card_hash WHERE u.id = $1`;
    const [beds, waiting] = await Promise.all([
      this.dataSource.query<ResidenceBedRow[]>(
        `WITH person AS (${person}),
              mine AS (
                SELECT s.bed_id, s.started_at AS since FROM stays s, person WHERE s.resident_id = person.id AND s.ended_at IS NULL
                UNION ALL
                SELECT h.bed_id, h.created_at FROM holds h, person WHERE h.resident_id = person.id AND h.ended_at IS NULL)
         SELECT f.name AS facility, f.street, b.code, b.floor, b.room, b.status, mine.since,
                CASE WHEN b.status = 'RESERVED' THEN b.hold_expires_at END AS "holdExpiresAt",
                b.leave_expected_return_on::text AS "expectedReturnOn"
           FROM mine JOIN beds b ON b.id = mine.bed_id JOIN facilities f ON f.id = b.facility_id
          WHERE b.status IN ('RESERVED', 'OCCUPIED', 'ON_LEAVE')
          ORDER BY b.status = 'RESERVED', mine.since DESC LIMIT 1`,
        [userId],
      ),
      this.dataSource.query<ResidenceWaitingRow[]>(
        `SELECT f.name AS facility, w.created_at AS since, ${waitingPositionSql('w')} AS position
           FROM waitlist_entries w JOIN facilities f ON f.id = w.facility_id
          WHERE w.resident_id IN (${person}) AND w.status = 'WAITING'
          ORDER BY w.created_at`,
        [userId],
      ),
    ]);
    return { bed: beds[0] ?? null, waiting };
  }

  async findById(manager: EntityManager, id: string): Promise<ResidentRow | null> {
    const rows: ResidentRow[] = await manager.query(`SELECT ${COLUMNS} FROM residents r ${LEAVE} WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  }
}
