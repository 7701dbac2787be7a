import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CareLevel, PriorityReason } from './bed-state';
import type { WaitlistStatus } from './bed-inventory.types';

export interface WaitlistRow {
  id: string;
  facility_id: string;
  resident_id: string;
  care_level: CareLevel;
  priority_reasons: PriorityReason[];
  status: WaitlistStatus;
  offered_bed_id: string | null;
  offered_at: Date | null;
  created_at: Date;
  priority_score: number;
  position: number | null;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
}

const ENTRY_COLUMNS = `id, facility_id, resident_id, care_level, priority_reasons, status, offered_bed_id, offered_at, created_at, withdrawn_at, withdrawn_reason,
  waitlist_priority_score(priority_reasons, care_level) AS priority_score`;

/**
 * The place of the waiting entry `alias` (its columns) on its facility's list: 1 + the waiting
 * entries ahead of it by score, then time waited, then id, the order the list is shown and offered
 * in (`list`).
 */
export function waitingPositionSql(alias: string): string {
  return `(SELECT count(*)::int FROM waitlist_entries o
            WHERE o.facility_id = ${alias}.facility_id AND o.status = 'WAITING'
              AND (waitlist_priority_score(o.priority_reasons, o.care_level), -extract(epoch FROM o.created_at), o.id::text)
                  >= (waitlist_priority_score(${alias}.priority_reasons, ${alias}.care_level), -extract(epoch FROM ${alias}.created_at), ${alias}.id::text))`;
}

/** The admission waiting list. Score and position are computed by the query, never stored. */
@Injectable()
export class WaitlistRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, input: { facilityId: string; residentId: string; careLevel: CareLevel; reasons: PriorityReason[] }): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO waitlist_entries (facility_id, resident_id, care_level, priority_reasons) VALUES ($1, $2, $3, $4::text[]) RETURNING id`,
      [input.facilityId, input.residentId, input.careLevel, input.reasons],
    );
    return rows[0].id;
  }

  /**
   * Active entries in offer order: waiting entries by score, then time waited (position 1, 2, …),
   * followed by entries holding an offer (no position: they are no longer waiting).
   */
  async list(facilityId: string, limit: number, offset: number): Promise<{ rows: WaitlistRow[]; total: number }> {
    const rows: WaitlistRow[] = await this.dataSource.query(
      `SELECT *, CASE WHEN status = 'WAITING'
                      THEN row_number() OVER (PARTITION BY status = 'WAITING' ORDER BY priority_score DESC, created_at, id)::int
                 END AS position
         FROM (SELECT ${ENTRY_COLUMNS} FROM waitlist_entries WHERE facility_id = $1 AND status IN ('WAITING', 'OFFERED')) e
        ORDER BY status = 'WAITING' DESC, priority_score DESC, created_at, id
        LIMIT $2 OFFSET $3`,
      [facilityId, limit, offset],
    );
    const count: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM waitlist_entries WHERE facility_id = $1 AND status IN ('WAITING', 'OFFERED')`,
      [facilityId],
    );
    return { rows, total: count[0].total };
  }

  async findById(manager: EntityManager, id: string): Promise<WaitlistRow | null> {
    const rows: WaitlistRow[] = await manager.query(
      `SELECT *, CASE WHEN e.status = 'WAITING' THEN ${waitingPositionSql('e')} END AS position
         FROM (SELECT ${ENTRY_COLUMNS} FROM waitlist_entries WHERE id = $1) e`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * The head of the list for a bed of this care level: the best-scored, longest-waiting entry
   * whose resident has neither a bed nor a hold. Locked, skipping entries another offer holds.
   */
  async head(manager: EntityManager, facilityId: string, careLevel: CareLevel): Promise<WaitlistRow | null> {
    const rows: WaitlistRow[] = await manager.query(
      `SELECT ${ENTRY_COLUMNS}, NULL::int AS position FROM waitlist_entries w
        WHERE w.facility_id = $1 AND w.care_level = $2 AND w.status = 'WAITING'
          AND NOT EXISTS (SELECT 1 FROM stays s WHERE s.resident_id = w.resident_id AND s.ended_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.resident_id = w.resident_id AND h.ended_at IS NULL)
        ORDER BY waitlist_priority_score(w.priority_reasons, w.care_level) DESC, w.created_at, w.id
        LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [facilityId, careLevel],
    );
    return rows[0] ?? null;
  }

  async markOffered(manager: EntityManager, entryId: string, bedId: string): Promise<void> {
    await manager.query(`UPDATE waitlist_entries SET status = 'OFFERED', offered_bed_id = $2, offered_at = now(), updated_at = now() WHERE id = $1`, [
      entryId,
      bedId,
    ]);
  }

  /** The entry of the facility, locked; null when there is none. */
  async lockInFacility(
    manager: EntityManager,
    facilityId: string,
    entryId: string,
  ): Promise<{ id: string; status: string; resident_id: string; offered_bed_id: string | null } | null> {
    const rows: { id: string; status: string; resident_id: string; offered_bed_id: string | null }[] = await manager.query(
      `SELECT id, status, resident_id, offered_bed_id FROM waitlist_entries WHERE id = $1 AND facility_id = $2 FOR UPDATE`,
      [entryId, facilityId],
    );
    return rows[0] ?? null;
  }

  /** The entry leaves the list, kept as WITHDRAWN with who, when and why. */
  async withdraw(manager: EntityManager, entryId: string, actorId: string, reason: string): Promise<void> {
    await manager.query(
      `UPDATE waitlist_entries SET status = 'WITHDRAWN', withdrawn_at = now(), withdrawn_by = $2, withdrawn_reason = $3, updated_at = now()
        WHERE id = $1 AND status IN ('WAITING', 'OFFERED')`,
      [entryId, actorId, reason],
    );
  }

  /** The resident got a bed: every active entry of theirs is done. */
  async markAdmitted(manager: EntityManager, residentId: string): Promise<void> {
    await manager.query(`UPDATE waitlist_entries SET status = 'ADMITTED', updated_at = now() WHERE resident_id = $1 AND status IN ('WAITING', 'OFFERED')`, [
      residentId,
    ]);
  }

  /** An offered hold ended without admission: the offer lapses and the entry leaves the list. */
  async lapseOffer(manager: EntityManager, bedId: string, residentId: string): Promise<void> {
    await manager.query(
      `UPDATE waitlist_entries SET status = 'LAPSED', updated_at = now() WHERE offered_bed_id = $1 AND resident_id = $2 AND status = 'OFFERED'`,
      [bedId, residentId],
    );
  }
}
