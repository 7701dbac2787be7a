import { type AllowedAction, allowedActions, type BedStatus, type CareLevel } from './bed-state';
import type { BedRow } from './beds.repository';

/** A bed as the API shows it (docs/api.md, "Facilities, beds, residents"). */
export interface BedView {
  id: string;
  facilityId: string;
  code: string;
  room: string;
  floor: number;
  careLevel: CareLevel;
  status: BedStatus;
  version: number;
  residentId: string | null;
  holdExpiresAt: string | null;
  /** While ON_LEAVE: the day (YYYY-MM-DD) the resident is expected back; otherwise null. */
  expectedReturnOn: string | null;
  updatedAt: string;
  /** What a manager may do with the bed now (`POST /beds/:id/<action>`), from the table of actions, most usual first. */
  actions: AllowedAction[];
}

export function toBedView(row: BedRow): BedView {
  return {
    id: row.id,
    facilityId: row.facility_id,
    code: row.code,
    room: row.room,
    floor: row.floor,
    careLevel: row.care_level,
    status: row.status,
    version: row.version,
    residentId: row.resident_id,
    holdExpiresAt: row.hold_expires_at ? new Date(row.hold_expires_at).toISOString() : null,
    expectedReturnOn: row.leave_expected_return_on ?? null,
    updatedAt: new Date(row.updated_at).toISOString(),
    actions: allowedActions(row.status),
  };
}
