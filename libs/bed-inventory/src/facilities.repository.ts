import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { BedStatus } from './bed-state';
import type { FacilityKind } from './bed-inventory.types';

export interface FacilityRow {
  id: string;
  name: string;
  kind: FacilityKind;
  street: string;
  created_at: Date;
}

export interface FacilityWithBedsRow extends FacilityRow {
  total_beds: number;
  available: number;
  reserved: number;
  occupied: number;
  on_leave: number;
  cleaning: number;
  maintenance: number;
}

export type StatusCounts = Record<BedStatus, number>;

/** Facility rows, and the bed counts derived from bed rows. */
@Injectable()
export class FacilitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The pool's manager, for reads outside a transaction (passed explicitly, as a transaction's manager is). */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async insert(manager: EntityManager, input: { name: string; kind: FacilityKind; street: string }): Promise<FacilityRow> {
    const rows: FacilityRow[] = await manager.query(
      `INSERT INTO facilities (name, kind, street) VALUES ($1, $2, $3) RETURNING id, name, kind, street, created_at`,
      [input.name, input.kind, input.street],
    );
    return rows[0];
  }

  /** Changes the name and street of a facility (either may stay); null when there is no such facility. */
  async rename(manager: EntityManager, id: string, input: { name?: string; street?: string }): Promise<FacilityRow | null> {
    const rows: FacilityRow[] = await manager.query(
      `UPDATE facilities SET name = coalesce($2, name), street = coalesce($3, street) WHERE id = $1 RETURNING id, name, kind, street, created_at`,
      [id, input.name ?? null, input.street ?? null],
    );
    return rows[0] ?? null;
  }

  async findById(manager: EntityManager, id: string): Promise<FacilityRow | null> {
    const rows: FacilityRow[] = await manager.query(`SELECT id, name, kind, street, created_at FROM facilities WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** One page of facilities with bed totals by status, and the count of all that match. */
  async listWithBeds(kind: FacilityKind | undefined, limit: number, offset: number): Promise<{ rows: FacilityWithBedsRow[]; total: number }> {
    const rows: FacilityWithBedsRow[] = await this.dataSource.query(
      `SELECT f.id, f.name, f.kind, f.street, f.created_at,
              count(b.id)::int AS total_beds,
              count(b.id) FILTER (WHERE b.status = 'AVAILABLE')::int AS available,
              count(b.id) FILTER (WHERE b.status = 'RESERVED')::int AS reserved,
              count(b.id) FILTER (WHERE b.status = 'OCCUPIED')::int AS occupied,
              count(b.id) FILTER (WHERE b.status = 'ON_LEAVE')::int AS on_leave,
              count(b.id) FILTER (WHERE b.status = 'CLEANING')::int AS cleaning,
              count(b.id) FILTER (WHERE b.status = 'MAINTENANCE')::int AS maintenance
         FROM (SELECT * FROM facilities WHERE $1::text IS NULL OR kind = $1
                ORDER BY kind, name, id LIMIT $2 OFFSET $3) f
         LEFT JOIN beds b ON b.facility_id = f.id
        GROUP BY f.id, f.name, f.kind, f.street, f.created_at
        ORDER BY f.kind, f.name, f.id`,
      [kind ?? null, limit, offset],
    );
    const count: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM facilities WHERE $1::text IS NULL OR kind = $1`, [
      kind ?? null,
    ]);
    return { rows, total: count[0].total };
  }

  /** District totals over every facility of the kind asked for (or all). */
  async districtCounts(kind: FacilityKind | undefined): Promise<StatusCounts & { total: number }> {
    const rows: (StatusCounts & { total: number })[] = await this.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE b.status = 'AVAILABLE')::int AS "AVAILABLE",
              count(*) FILTER (WHERE b.status = 'RESERVED')::int AS "RESERVED",
              count(*) FILTER (WHERE b.status = 'OCCUPIED')::int AS "OCCUPIED",
              count(*) FILTER (WHERE b.status = 'ON_LEAVE')::int AS "ON_LEAVE",
              count(*) FILTER (WHERE b.status = 'CLEANING')::int AS "CLEANING",
              count(*) FILTER (WHERE b.status = 'MAINTENANCE')::int AS "MAINTENANCE"
         FROM beds b JOIN facilities f ON f.id = b.facility_id
        WHERE $1::text IS NULL OR f.kind = $1`,
      [kind ?? null],
    );
    return rows[0];
  }
}
