import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig, preparedStatement, queryPrepared, ReadDatabase } from '@app/platform';
import type { BedAction, BedStatus, CareLevel } from './bed-state';

export interface BedRow {
  id: string;
  facility_id: string;
  code: string;
  room: string;
  floor: number;
  care_level: CareLevel;
  status: BedStatus;
  version: number;
  resident_id: string | null;
  hold_expires_at: Date | null;
  leave_expected_return_on: string | null;
  updated_at: Date;
}

export interface BedEventRow {
  id: string;
  bed_id: string;
  at: Date;
  actor_id: string | null;
  action: BedAction | 'CREATE';
  from_status: BedStatus | null;
  to_status: BedStatus;
  resident_id: string | null;
  reason: string | null;
  version: number;
  expected_return_on: string | null;
}

export interface NewBed {
  code: string;
  room: string;
  floor: number;
  careLevel: CareLevel;
}

export interface HoldRow {
  id: string;
  bed_id: string;
  resident_id: string;
  expires_at: Date;
}

const BED_COLUMNS = `id, facility_id, code, room, floor, care_level, status, version, resident_id, hold_expires_at,
  to_char(leave_expected_return_on, 'YYYY-MM-DD') AS leave_expected_return_on, updated_at`;

/**
 * A manager's action as the API sends it: `bed_act`, and in the same statement whether the waiting
 * list had an entry for the bed's facility and care level when the statement began (an available
 * bed is offered only then; an entry that arrives later asks for a free bed itself, and the
 * repeating sweep is the backstop). Prepared once per connection (`queryPrepared`). Exported for
 * the benchmark's SQL-only loop.
 */
export const BED_ACT_STATEMENT = preparedStatement(
  'bed_act',
  `SELECT ${BED_COLUMNS}, hold_id,
              EXISTS (SELECT 1 FROM waitlist_entries w
                       WHERE w.facility_id = moved.facility_id AND w.care_level = moved.care_level AND w.status = 'WAITING') AS someone_waiting
         FROM bed_act($1, $2, $3, $4, $5, $6, $7, $8, $9::date) AS moved`,
);

/**
 * Beds, their stays and holds, and the append-only history. Anything that may run inside a
 * transaction takes the manager first; reads that never do use the pool or the read replica.
 */
@Injectable()
export class BedsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly read: ReadDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The pool's manager, for reads outside a transaction (passed explicitly, as a transaction's manager is). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Inserts the beds with one statement, and their CREATE events with another. */
  async insertMany(manager: EntityManager, facilityId: string, beds: NewBed[], actorId: string | null): Promise<BedRow[]> {
    const rows: BedRow[] = await manager.query(
      `INSERT INTO beds (facility_id, code, room, floor, care_level)
       SELECT $1, b.code, b.room, b.floor, b.care_level
         FROM unnest($2::text[], $3::text[], $4::int[], $5::text[]) WITH ORDINALITY AS b(code, room, floor, care_level, n)
        ORDER BY b.n
       RETURNING ${BED_COLUMNS}`,
      [facilityId, beds.map((b) => b.code), beds.map((b) => b.room), beds.map((b) => b.floor), beds.map((b) => b.careLevel)],
    );
    await manager.query(
      `INSERT INTO bed_events (bed_id, facility_id, actor_id, action, from_status, to_status, version)
       SELECT id, $1, $2, 'CREATE', NULL, 'AVAILABLE', 1 FROM unnest($3::uuid[]) AS id`,
      [facilityId, actorId, rows.map((r) => r.id)],
    );
    return rows;
  }

  async findById(manager: EntityManager, id: string): Promise<BedRow | null> {
    const rows: BedRow[] = await manager.query(`SELECT ${BED_COLUMNS} FROM beds WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the rows in id order, so that two transactions touching the same beds never deadlock. */
  async lockInOrder(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(`SELECT id FROM beds WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  async list(
    facilityId: string,
    filter: { status?: BedStatus; careLevel?: CareLevel },
    limit: number,
    offset: number,
  ): Promise<{ rows: BedRow[]; total: number }> {
    const params = [facilityId, filter.status ?? null, filter.careLevel ?? null];
    const where = `facility_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR care_level = $3)`;
    // A board's first load may lag (its live stream brings every later change): from the read replica when there is one.
    const rows = await this.read.query<BedRow>(`SELECT ${BED_COLUMNS} FROM beds WHERE ${where} ORDER BY floor, room, code LIMIT $4 OFFSET $5`, [
      ...params,
      limit,
      offset,
    ]);
    const count = await this.read.query<{ total: number }>(`SELECT count(*)::int AS total FROM beds WHERE ${where}`, params);
    return { rows, total: count[0].total };
  }

  /**
   * The optimistic step: moves the bed only if it is still at the version and status the caller
   * saw. Returns null when another change got there first (no row matched).
   */
  /**
   * Moves a bed from the state the caller read to the next one and records the change in its
   * history, in one statement: no affected row (another change committed first) records nothing.
   */
  async transition(
    manager: EntityManager,
    input: { id: string; version: number; from: BedStatus; to: BedStatus; residentId: string | null; holdSeconds: number | null },
    event: { actorId: string | null; action: BedAction; residentId: string | null; reason: string | null },
  ): Promise<BedRow | null> {
    const rows: BedRow[] = await manager.query(
      `WITH moved AS (
         UPDATE beds
            SET status = $4, resident_id = $5,
                hold_expires_at = CASE WHEN $6::float8 IS NULL THEN NULL ELSE now() + $6::float8 * interval '1 second' END,
                version = version + 1
          WHERE id = $1 AND version = $2 AND status = $3
          RETURNING ${BED_COLUMNS}
       ), event AS (
         INSERT INTO bed_events (bed_id, facility_id, actor_id, action, from_status, to_status, resident_id, reason, version)
         SELECT moved.id, moved.facility_id, $7::uuid, $8::varchar, $3::varchar, moved.status, $9::uuid, $10::varchar, moved.version FROM moved
         RETURNING id
       )
       SELECT moved.* FROM moved`,
      [input.id, input.version, input.from, input.to, input.residentId, input.holdSeconds, event.actorId, event.action, event.residentId, event.reason],
    );
    return rows.length === 1 ? rows[0] : null;
  }

  /**
   * A manager's action in one round trip (`bed_act`, its own transaction): access, If-Match,
   * the move, its history event, the hold or stay and the waiting-list changes. Returns the bed
   * as moved and the hold it placed, if any. With a transaction's manager, inside that
   * transaction; with the pool's, its own.
   */
  async act(
    manager: EntityManager,
    input: {
      bedId: string;
      action: BedAction;
      ifMatch: number | null;
      facilityIds: string[] | null;
      actorId: string | null;
      residentId: string | null;
      reason: string | null;
      holdSeconds: number | null;
      expectedReturnOn?: string | null;
    },
  ): Promise<{ bed: BedRow; hold: { id: string; expiresAt: Date } | null; someoneWaiting: boolean }> {
    const rows = await queryPrepared<BedRow & { hold_id: string | null; someone_waiting: boolean }>(
      manager,
      BED_ACT_STATEMENT,
      [
        input.bedId,
        input.action,
        input.ifMatch,
        input.facilityIds,
        input.actorId,
        input.residentId,
        input.reason,
        input.holdSeconds,
        input.expectedReturnOn ?? null,
      ],
      this.config.databasePreparedStatements,
    );
    const first = rows[0];
    if (!first) throw new Error('bed_act returned no row');
    const { hold_id: holdId, someone_waiting: someoneWaiting, ...bed } = first;
    return { bed, hold: holdId && bed.hold_expires_at ? { id: holdId, expiresAt: new Date(bed.hold_expires_at) } : null, someoneWaiting };
  }

  async history(bedId: string, limit: number, offset: number): Promise<{ rows: BedEventRow[]; total: number }> {
    const rows: BedEventRow[] = await this.dataSource.query(
      `SELECT id, bed_id, at, actor_id, action, from_status, to_status, resident_id, reason, version,
              to_char(expected_return_on, 'YYYY-MM-DD') AS expected_return_on
         FROM bed_events WHERE bed_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
      [bedId, limit, offset],
    );
    const count: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM bed_events WHERE bed_id = $1`, [bedId]);
    return { rows, total: count[0].total };
  }

  async startStay(manager: EntityManager, bedId: string, residentId: string): Promise<void> {
    await manager.query(`INSERT INTO stays (bed_id, resident_id) VALUES ($1, $2)`, [bedId, residentId]);
  }

  async endStay(manager: EntityManager, bedId: string, reason: string | null): Promise<void> {
    await manager.query(`UPDATE stays SET ended_at = now(), end_reason = $2 WHERE bed_id = $1 AND ended_at IS NULL`, [bedId, reason]);
  }

  async residentHasStay(manager: EntityManager, residentId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM stays WHERE resident_id = $1 AND ended_at IS NULL`, [residentId]);
    return rows.length > 0;
  }

  async activeHoldOfResident(manager: EntityManager, residentId: string): Promise<HoldRow | null> {
    const rows: HoldRow[] = await manager.query(`SELECT id, bed_id, resident_id, expires_at FROM holds WHERE resident_id = $1 AND ended_at IS NULL`, [
      residentId,
    ]);
    return rows[0] ?? null;
  }

  async insertHold(manager: EntityManager, bed: BedRow): Promise<HoldRow> {
    const rows: HoldRow[] = await manager.query(
      `INSERT INTO holds (bed_id, resident_id, expires_at) VALUES ($1, $2, $3) RETURNING id, bed_id, resident_id, expires_at`,
      [bed.id, bed.resident_id, bed.hold_expires_at],
    );
    return rows[0];
  }

  async endHold(manager: EntityManager, bedId: string, kind: 'ADMITTED' | 'RELEASED' | 'EXPIRED'): Promise<void> {
    await manager.query(`UPDATE holds SET ended_at = now(), end_kind = $2 WHERE bed_id = $1 AND ended_at IS NULL`, [bedId, kind]);
  }

  /** Active holds whose time is up (for the sweep), oldest first. */
  async dueHolds(limit: number): Promise<HoldRow[]> {
    return this.dataSource.query(
      `SELECT id, bed_id, resident_id, expires_at FROM holds WHERE ended_at IS NULL AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
      [limit],
    );
  }

  async findHold(manager: EntityManager, holdId: string): Promise<(HoldRow & { ended_at: Date | null; due: boolean }) | null> {
    const rows: (HoldRow & { ended_at: Date | null; due: boolean })[] = await manager.query(
      `SELECT id, bed_id, resident_id, expires_at, ended_at, expires_at <= now() AS due FROM holds WHERE id = $1`,
      [holdId],
    );
    return rows[0] ?? null;
  }

  /** One available bed of the care level in the facility, if any. */
  async freeBed(facilityId: string, careLevel: CareLevel): Promise<{ id: string; version: number } | null> {
    const rows: { id: string; version: number }[] = await this.dataSource.query(
      `SELECT id, version FROM beds WHERE facility_id = $1 AND care_level = $2 AND status = 'AVAILABLE' ORDER BY updated_at LIMIT 1`,
      [facilityId, careLevel],
    );
    return rows[0] ?? null;
  }

  /** Available beds for which a matching waiting-list entry exists. */
  async bedsToOffer(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT b.id FROM beds b
        WHERE b.status = 'AVAILABLE'
          AND EXISTS (SELECT 1 FROM waitlist_entries w
                       WHERE w.facility_id = b.facility_id AND w.care_level = b.care_level AND w.status = 'WAITING'
                         AND NOT EXISTS (SELECT 1 FROM stays s WHERE s.resident_id = w.resident_id AND s.ended_at IS NULL)
                         AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.resident_id = w.resident_id AND h.ended_at IS NULL))
        ORDER BY b.updated_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Every bed of the facility by floor, room and code, with the name of its resident (held for,
   * living in or on leave from it): the staff board's first load, which may lag (read replica).
   */
  async board(facilityId: string): Promise<(BedRow & { resident_name: string | null })[]> {
    return this.read.query<BedRow & { resident_name: string | null }>(
      `SELECT b.id, b.facility_id, b.code, b.room, b.floor, b.care_level, b.status, b.version, b.resident_id, b.hold_expires_at,
              to_char(b.leave_expected_return_on, 'YYYY-MM-DD') AS leave_expected_return_on, b.updated_at, r.name AS resident_name
         FROM beds b LEFT JOIN residents r ON r.id = b.resident_id
        WHERE b.facility_id = $1 ORDER BY b.floor, b.room, b.code`,
      [facilityId],
    );
  }
}
