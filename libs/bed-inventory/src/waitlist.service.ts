import { Injectable } from '@nestjs/common';
import { ageOn, CommonError, type Principal, TransactionRunner, violatedConstraint } from '@app/platform';
import { BedInventoryError } from './bed-inventory.errors';
import type { CareLevel, PriorityReason } from './bed-state';
import { BedInventoryJobs } from './bed-inventory.jobs';
import { BedsRepository } from './beds.repository';
import { BedsService } from './beds.service';
import { ResidentsService } from './residents.service';
import { WaitlistRepository, type WaitlistRow } from './waitlist.repository';
import type { WaitlistStatus } from './bed-inventory.types';

/** A waiting-list entry with its derived score and place. */
export interface WaitlistEntryView {
  id: string;
  facilityId: string;
  residentId: string;
  careLevel: CareLevel;
  priorityReasons: PriorityReason[];
  priorityScore: number;
  position: number | null;
  status: WaitlistStatus;
  offeredBedId: string | null;
  createdAt: string;
  /** When the entry was withdrawn, and why; null otherwise. */
  withdrawnAt: string | null;
  withdrawnReason: string | null;
}

function toView(row: WaitlistRow): WaitlistEntryView {
  return {
    id: row.id,
    facilityId: row.facility_id,
    residentId: row.resident_id,
    careLevel: row.care_level,
    priorityReasons: row.priority_reasons,
    priorityScore: row.priority_score,
    position: row.position,
    status: row.status,
    offeredBedId: row.offered_bed_id,
    createdAt: new Date(row.created_at).toISOString(),
    withdrawnAt: row.withdrawn_at ? new Date(row.withdrawn_at).toISOString() : null,
    withdrawnReason: row.withdrawn_reason,
  };
}

/** The admission waiting list of a facility (score rules in docs/bed-inventory.md). */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly waitlist: WaitlistRepository,
    private readonly beds: BedsRepository,
    private readonly bedsService: BedsService,
    private readonly residents: ResidentsService,
    private readonly tx: TransactionRunner,
    private readonly jobs: BedInventoryJobs,
  ) {}

  async add(
    principal: Principal,
    facilityId: string,
    input: { residentId: string; careLevel: CareLevel; priorityReasons: PriorityReason[] },
  ): Promise<WaitlistEntryView> {
    await this.bedsService.assertManages(principal, facilityId);
    const reasons = [...new Set(input.priorityReasons)].sort();
    let entry: WaitlistEntryView;
    try {
      entry = await this.tx.run(async (m) => {
        const resident = await this.residents.findVisibleIn(m, principal, input.residentId);
        if (reasons.includes('AGE_80_PLUS') && ageOn(resident.birthDate) < 80) {
          throw CommonError.validation('The resident is not 80 or older.', [
            { field: 'priorityReasons', message: 'AGE_80_PLUS does not match the birth date' },
          ]);
        }
        if (await this.beds.residentHasStay(m, input.residentId)) throw BedInventoryError.residentAlreadyAdmitted();
        const id = await this.waitlist.insert(m, { facilityId, residentId: input.residentId, careLevel: input.careLevel, reasons });
        const row = await this.waitlist.findById(m, id);
        if (!row) throw new Error('waitlist entry vanished after insert');
        return toView(row);
      });
    } catch (error) {
      if (violatedConstraint(error) === 'uq_waitlist_entries_active_resident') throw BedInventoryError.alreadyOnWaitlist();
      throw error;
    }
    // A matching bed may be free already: offer it now rather than at the next sweep.
    const free = await this.beds.freeBed(facilityId, input.careLevel);
    if (free) await this.jobs.offerBed(free.id, free.version, entry.id);
    return entry;
  }

  /**
   * Takes an entry off the waiting list (kept as WITHDRAWN with who, when and why). An entry
   * holding an offer gives the bed back: the offer's hold is released in the same transaction
   * (a RELEASE in the bed's history), and the bed is offered to the next in line.
   * Locks go bed first, then entry, as every bed move does; an entry that got an offer between
   * the first read and its lock is tried again.
   */
  async withdraw(principal: Principal, facilityId: string, entryId: string, reason: string): Promise<WaitlistEntryView> {
    await this.bedsService.assertManages(principal, facilityId);
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.tx.run(async (m, tx) => {
        const seen = await this.waitlist.findById(m, entryId);
        if (!seen || seen.facility_id !== facilityId) throw CommonError.notFound('waiting-list entry');
        if (seen.status === 'OFFERED' && seen.offered_bed_id) await this.beds.lockInOrder(m, [seen.offered_bed_id]);
        const entry = await this.waitlist.lockInFacility(m, facilityId, entryId);
        if (!entry) throw CommonError.notFound('waiting-list entry');
        if (entry.status !== 'WAITING' && entry.status !== 'OFFERED') throw BedInventoryError.waitlistEntryClosed(entry.status);
        if (entry.status === 'OFFERED' && entry.offered_bed_id !== (seen.status === 'OFFERED' ? seen.offered_bed_id : null)) return 'retry' as const;
        await this.waitlist.withdraw(m, entryId, principal.id, reason.trim());
        if (entry.status === 'OFFERED' && entry.offered_bed_id) {
          await this.bedsService.releaseOffer(
            m,
            tx,
            principal,
            entry.offered_bed_id,
            entry.resident_id,
            `withdrawn from the waiting list: ${reason.trim()}`.slice(0, 200),
          );
        }
        const row = await this.waitlist.findById(m, entryId);
        if (!row) throw new Error('waitlist entry vanished');
        return toView(row);
      });
      if (result === 'retry') {
        if (attempt < 3) continue;
        throw CommonError.versionMismatch();
      }
      return result;
    }
  }

  async list(principal: Principal, facilityId: string, limit: number, offset: number): Promise<{ items: WaitlistEntryView[]; total: number }> {
    await this.bedsService.assertManages(principal, facilityId);
    const { rows, total } = await this.waitlist.list(facilityId, limit, offset);
    return { items: rows.map(toView), total };
  }
}
