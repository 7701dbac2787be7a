import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonError, IdCardCipher, parseResidentId, Permission, type Principal, requireAccess, TransactionRunner, violatedConstraint } from '@app/platform';
import { BedInventoryError } from './bed-inventory.errors';
import type { CareLevel } from './bed-state';
import { FacilitiesRepository } from './facilities.repository';
import type { EmergencyContact } from './bed-inventory.types';
import { type ResidenceBedRow, type ResidenceWaitingRow, ResidentsRepository, type ResidentRow } from './residents.repository';

/** A senior's own bed and waiting lists (`GET /me/residence`). */
export interface ResidenceView {
  bed: (Omit<ResidenceBedRow, 'since' | 'holdExpiresAt'> & { since: string; holdExpiresAt: string | null }) | null;
  waiting: (Omit<ResidenceWaitingRow, 'since'> & { since: string })[];
}

/** A resident as the facility's managers see it: the ID number masked. */
export interface ResidentView {
  id: string;
  facilityId: string;
  name: string;
  idCardNumberMasked: string;
  birthDate: string;
  careLevel: CareLevel;
  emergencyContacts: EmergencyContact[];
  bedId: string | null;
  /** Days spent on leave (请假 / 住院留床) over every stay, from the bed history, to two decimals; a leave still going counts up to now. */
  leaveDays: number;
  /** How many leaves the history holds. */
  leavePeriods: number;
  createdAt: Date;
}

function toView(row: ResidentRow): ResidentView {
  return {
    id: row.id,
    facilityId: row.facility_id,
    name: row.name,
    idCardNumberMasked: row.id_card_masked,
    birthDate: row.birth_date,
    careLevel: row.care_level,
    emergencyContacts: row.emergency_contacts,
    bedId: row.bed_id,
    leaveDays: Math.round((row.leave_seconds / 86_400) * 100) / 100,
    leavePeriods: row.leave_periods,
    createdAt: new Date(row.created_at),
  };
}

/**
 * Residents are person records kept by a facility. One person is one resident across the whole
 * platform (unique keyed hash of the ID number), so a move between facilities is a transfer,
 * never a second record. Only the facility's managers and administrators see a resident.
 */
@Injectable()
export class ResidentsService {
  constructor(
    private readonly residents: ResidentsRepository,
    private readonly facilities: FacilitiesRepository,
    private readonly cipher: IdCardCipher,
    private readonly tx: TransactionRunner,
  ) {}

  async create(
    principal: Principal,
    input: { name: string; idCardNumber: string; careLevel: CareLevel; facilityId: string; emergencyContacts: EmergencyContact[] },
  ): Promise<ResidentView> {
    requireAccess(principal, Permission.FacilityManage, input.facilityId, { forbidden: 'You do not manage this facility.' });
    return this.createUnchecked(input);
  }

  /** Creates a resident without an access check: demo data, and callers that checked already. */
  async createUnchecked(input: {
    name: string;
    idCardNumber: string;
    careLevel: CareLevel;
    facilityId: string;
    emergencyContacts: EmergencyContact[];
  }): Promise<ResidentView> {
    const parsed = parseResidentId(input.idCardNumber);
    if (typeof parsed === 'string') throw BedInventoryError.invalidIdCard(parsed);
    const protectedId = this.cipher.protect(parsed.normalized);
    const work = async (m: EntityManager): Promise<ResidentView> => {
      const facility = await this.facilities.findById(m, input.facilityId);
      if (!facility) throw CommonError.notFound('facility');
      const id = await this.residents.insert(m, {
        facilityId: input.facilityId,
        name: input.name.trim(),
        ciphertext: protectedId.ciphertext,
        hash: protectedId.hash,
        masked: protectedId.masked,
        birthDate: parsed.birthDate,
        careLevel: input.careLevel,
        emergencyContacts: input.emergencyContacts.map((c) => ({ name: c.name.trim(), relation: c.relation.trim(), phone: c.phone })),
      });
      const row = await this.residents.findById(m, id);
      if (!row) throw new Error('resident vanished after insert');
      return toView(row);
    };
    try {
      return await this.tx.run(work);
    } catch (error) {
      if (violatedConstraint(error) === 'uq_residents_id_card_hash') throw BedInventoryError.residentAlreadyRegistered();
      throw error;
    }
  }

  /**
   * The residents a facility keeps (in a bed, on leave, waiting or discharged), by name, a page
   * at a time: the facility's managers and administrators only, as for one resident; another
   * facility's manager is refused (403), an unknown facility not found.
   */
  async listOf(
    principal: Principal,
    facilityId: string,
    filter: { inBed: boolean },
    limit: number,
    offset: number,
  ): Promise<{ items: ResidentView[]; total: number }> {
    if (!(await this.facilities.findById(this.residents.manager, facilityId))) throw CommonError.notFound('facility');
    requireAccess(principal, Permission.FacilityManage, facilityId, { forbidden: 'You do not manage this facility.' });
    const { rows, total } = await this.residents.listByFacility(facilityId, filter.inBed, limit, offset);
    return { items: rows.map(toView), total };
  }

  /** The resident, when the caller manages the resident's facility; otherwise 404 (read outside a transaction). */
  async findVisible(principal: Principal, id: string): Promise<ResidentView> {
    return this.findVisibleIn(this.residents.manager, principal, id);
  }

  /**
   * The bed held for this senior or hers now, and the waiting lists she is on: found by her ID
   * number, so an account without one, or a person never a resident, has neither.
   */
  async residenceOf(userId: string): Promise<ResidenceView> {
    const { bed, waiting } = await this.residents.residenceOf(userId);
    return {
      bed: bed && {
        ...bed,
        since: new Date(bed.since).toISOString(),
        holdExpiresAt: bed.holdExpiresAt ? new Date(bed.holdExpiresAt).toISOString() : null,
      },
      waiting: waiting.map((w) => ({ ...w, since: new Date(w.since).toISOString() })),
    };
  }

  /** The same, inside the caller's transaction. */
  async findVisibleIn(manager: EntityManager, principal: Principal, id: string): Promise<ResidentView> {
    const row = await this.residents.findById(manager, id);
    if (!row) throw CommonError.notFound('resident');
    requireAccess(principal, Permission.FacilityManage, row.facility_id, { notFound: 'resident' });
    return toView(row);
  }
}
