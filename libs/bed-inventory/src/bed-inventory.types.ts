/** The kinds of facility the district runs. */
export type FacilityKind = 'NURSING_HOME' | 'REHAB_HOSPITAL' | 'CARE_CENTRE';
export const FACILITY_KINDS: readonly FacilityKind[] = ['NURSING_HOME', 'REHAB_HOSPITAL', 'CARE_CENTRE'];

/** Someone to call for a resident. */
export interface EmergencyContact {
  name: string;
  relation: string;
  phone: string;
}

/** Where an entry of the admission waiting list stands. */
export type WaitlistStatus = 'WAITING' | 'OFFERED' | 'ADMITTED' | 'LAPSED' | 'WITHDRAWN';
