/** Who runs a centre. */
export const OPERATOR_KINDS = ['GOVERNMENT', 'SOCIAL_OPERATOR'] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];

/** Where a centre is in its life: planned, being renovated, or open to seniors. */
export const CENTRE_STATUSES = ['PLANNED', 'RENOVATING', 'OPERATING'] as const;
export type CentreStatus = (typeof CENTRE_STATUSES)[number];

/** The six services of a centre: 助餐, 助洁, 助医, 助困, 助急, 助乐. */
export const SERVICE_TYPES = ['MEAL', 'CLEANING', 'MEDICAL', 'HARDSHIP', 'EMERGENCY', 'RECREATION'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** The six services in Chinese, in the order the bureau lists them (files and reports). */
export const SERVICE_TYPE_NAMES: Readonly<Record<ServiceType, string>> = {
  MEAL: '助餐',
  CLEANING: '助洁',
  MEDICAL: '助医',
  HARDSHIP: '助困',
  EMERGENCY: '助急',
  RECREATION: '助乐',
};

/** Calendar days of the district are days in this zone, whatever the server's zone is. */
export const DISTRICT_TIME_ZONE = 'Asia/Shanghai';

/** A social operator's contract ending within this many days shows as "ending soon". */
export const CONTRACT_WARNING_DAYS = 60;

/** The longest period the district figures cover in one request. */
export const KPI_MAX_DAYS = 366;
