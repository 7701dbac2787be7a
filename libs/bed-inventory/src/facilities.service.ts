import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonError, TransactionRunner, violatedConstraint } from '@app/platform';
import { BedInventoryError } from './bed-inventory.errors';
import type { FacilityKind } from './bed-inventory.types';
import { FacilitiesRepository, type FacilityRow, type StatusCounts } from './facilities.repository';

/** What other domains may know of a facility. */
/** What a new facility needs. */
export interface NewFacility {
  name: string;
  kind: FacilityKind;
  street: string;
}

export interface FacilityView {
  id: string;
  name: string;
  kind: FacilityKind;
  street: string;
  createdAt: Date;
}

/** A facility with its beds counted by status (derived from bed rows). */
export interface FacilitySummary extends FacilityView {
  totalBeds: number;
  occupancy: StatusCounts;
}

function toView(row: FacilityRow): FacilityView {
  return { id: row.id, name: row.name, kind: row.kind, street: row.street, createdAt: new Date(row.created_at) };
}

/**
 * Facilities of every kind. Other domains (care centres) create and look up facilities through
 * this service; `create` joins the caller's transaction when given its manager.
 */
@Injectable()
export class FacilitiesService {
  constructor(
    private readonly facilities: FacilitiesRepository,
    private readonly tx: TransactionRunner,
  ) {}

  /** Creates a facility in its own transaction; a name already used by a facility of the same kind is a 409. */
  async create(input: NewFacility): Promise<FacilityView> {
    return this.tx.run((m) => this.createIn(m, input));
  }

  /** Creates a facility inside the caller's transaction (a care centre is a facility and its centre row). */
  async createIn(manager: EntityManager, input: NewFacility): Promise<FacilityView> {
    const clean = { name: input.name.trim(), kind: input.kind, street: input.street.trim() };
    try {
      return toView(await this.facilities.insert(manager, clean));
    } catch (error) {
      if (violatedConstraint(error) === 'uq_facilities_kind_name') throw BedInventoryError.duplicateFacility();
      throw error;
    }
  }

  /**
   * Renames a facility or moves it to another street, in the caller's transaction; a name already
   * used by a facility of the same kind is a 409, and no such facility is a 404.
   */
  async rename(manager: EntityManager, id: string, input: { name?: string; street?: string }): Promise<FacilityView> {
    const clean = { name: input.name?.trim(), street: input.street?.trim() };
    try {
      const row = await this.facilities.rename(manager, id, clean);
      if (!row) throw CommonError.notFound('facility');
      return toView(row);
    } catch (error) {
      if (violatedConstraint(error) === 'uq_facilities_kind_name') throw BedInventoryError.duplicateFacility();
      throw error;
    }
  }

  async findById(id: string): Promise<FacilityView | null> {
    const row = await this.facilities.findById(this.facilities.manager, id);
    return row ? toView(row) : null;
  }

  /** Facilities with bed totals, and the district totals over all of them. */
  async list(
    kind: FacilityKind | undefined,
    limit: number,
    offset: number,
  ): Promise<{ items: FacilitySummary[]; total: number; district: { totalBeds: number; occupancy: StatusCounts } }> {
    const [{ rows, total }, district] = await Promise.all([this.facilities.listWithBeds(kind, limit, offset), this.facilities.districtCounts(kind)]);
    const items = rows.map((row) => ({
      ...toView(row),
      totalBeds: row.total_beds,
      occupancy: {
        AVAILABLE: row.available,
        RESERVED: row.reserved,
        OCCUPIED: row.occupied,
        ON_LEAVE: row.on_leave,
        CLEANING: row.cleaning,
        MAINTENANCE: row.maintenance,
      },
    }));
    const { total: totalBeds, ...occupancy } = district;
    return { items, total, district: { totalBeds, occupancy } };
  }
}
