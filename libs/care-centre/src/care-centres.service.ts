import { Injectable } from '@nestjs/common';
import { FacilitiesService } from '@app/bed-inventory';
import { CommonError, TransactionRunner, violatedConstraint } from '@app/platform';
import { CareCentreError } from './care-centre.errors';
import { contractEndingSoon, contractExpired, districtDay, operatorProblems } from './care-centre.rules';
import type { CentreStatus, OperatorKind } from './care-centre.types';
import { type CentreFields, type CentreRow, CareCentresRepository } from './care-centres.repository';

/** A centre as every caller sees it: its row with the contract warnings, times as ISO text. */
export interface CareCentreView extends Omit<CentreRow, 'createdAt' | 'updatedAt'> {
  contractEndingSoon: boolean;
  contractExpired: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CreateCareCentreInput {
  name: string;
  street: string;
  operatorKind: OperatorKind;
  operatorName?: string;
  contractEndsOn?: string;
  status: CentreStatus;
  dayCapacity: number;
  sunshineKitchen: boolean;
}

export type UpdateCareCentreInput = Partial<Omit<CentreFields, 'operatorName' | 'contractEndsOn'>> & {
  operatorName?: string | null;
  contractEndsOn?: string | null;
  /** The facility's name and street, changed in the same transaction. */
  name?: string;
  street?: string;
};

export function toCentreView(row: CentreRow, today: string): CareCentreView {
  return {
    id: row.id,
    name: row.name,
    street: row.street,
    operatorKind: row.operatorKind,
    operatorName: row.operatorName,
    contractEndsOn: row.contractEndsOn,
    contractEndingSoon: row.operatorKind === 'SOCIAL_OPERATOR' && contractEndingSoon(row.contractEndsOn, today),
    contractExpired: row.operatorKind === 'SOCIAL_OPERATOR' && contractExpired(row.contractEndsOn, today),
    status: row.status,
    dayCapacity: row.dayCapacity,
    sunshineKitchen: row.sunshineKitchen,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

function refuseOperator(fields: { operatorKind: OperatorKind; operatorName: string | null; contractEndsOn: string | null }): void {
  const problems = operatorProblems(fields);
  if (problems.length > 0) {
    throw CommonError.validation(problems.map((problem) => `${problem.field} ${problem.message}`).join('; ') + '.', problems);
  }
}

/**
 * Day-care centres. A centre is created as a facility of kind CARE_CENTRE (through bed
 * inventory's FacilitiesService) and its own row, in one transaction, so neither exists alone.
 */
@Injectable()
export class CareCentresService {
  constructor(
    private readonly centres: CareCentresRepository,
    private readonly facilities: FacilitiesService,
    private readonly tx: TransactionRunner,
  ) {}

  async create(input: CreateCareCentreInput): Promise<CareCentreView> {
    const fields: CentreFields = {
      operatorKind: input.operatorKind,
      operatorName: input.operatorName?.trim() ?? null,
      contractEndsOn: input.contractEndsOn ?? null,
      status: input.status,
      dayCapacity: input.dayCapacity,
      sunshineKitchen: input.sunshineKitchen,
    };
    refuseOperator(fields);
    const row = await this.tx.run(async (manager) => {
      const facility = await this.facilities.createIn(manager, { name: input.name, kind: 'CARE_CENTRE', street: input.street });
      await this.centres.insertCentre(manager, facility.id, fields);
      return this.centres.findCentre(manager, facility.id);
    });
    if (!row) throw new Error('care centre vanished inside its own transaction');
    return toCentreView(row, districtDay(new Date()));
  }

  /**
   * Applies a partial update to the locked row, so two concurrent updates cannot combine into a
   * centre that breaks the operator rule; switching to GOVERNMENT clears the operator fields. A new
   * name or street goes to the centre's facility in the same transaction.
   */
  async update(id: string, input: UpdateCareCentreInput): Promise<CareCentreView> {
    const row = await this.tx.run(async (manager) => {
      const current = await this.centres.findCentre(manager, id, true);
      if (!current) throw CommonError.notFound('care centre');
      const operatorKind = input.operatorKind ?? current.operatorKind;
      const clearsOperator = operatorKind === 'GOVERNMENT' && input.operatorKind === 'GOVERNMENT';
      const fields: CentreFields = {
        operatorKind,
        operatorName: input.operatorName !== undefined ? (input.operatorName?.trim() ?? null) : clearsOperator ? null : current.operatorName,
        contractEndsOn: input.contractEndsOn !== undefined ? input.contractEndsOn : clearsOperator ? null : current.contractEndsOn,
        status: input.status ?? current.status,
        dayCapacity: input.dayCapacity ?? current.dayCapacity,
        sunshineKitchen: input.sunshineKitchen ?? current.sunshineKitchen,
      };
      refuseOperator(fields);
      if (input.name !== undefined || input.street !== undefined) await this.facilities.rename(manager, id, { name: input.name, street: input.street });
      try {
        await this.centres.updateCentre(manager, id, fields);
      } catch (error) {
        if (violatedConstraint(error) === 'ck_care_centres_operator') throw CareCentreError.invalid('operatorName', 'does not match the operator kind');
        throw error;
      }
      return this.centres.findCentre(manager, id);
    });
    if (!row) throw CommonError.notFound('care centre');
    return toCentreView(row, districtDay(new Date()));
  }

  async findById(id: string): Promise<CareCentreView> {
    const row = await this.centres.findCentre(this.centres.manager, id);
    if (!row) throw CommonError.notFound('care centre');
    return toCentreView(row, districtDay(new Date()));
  }

  async list(filter: { street?: string; status?: CentreStatus }, limit: number, offset: number): Promise<{ items: CareCentreView[]; total: number }> {
    const { rows, total } = await this.centres.listCentres(filter, limit, offset);
    const today = districtDay(new Date());
    return { items: rows.map((row) => toCentreView(row, today)), total };
  }
}
