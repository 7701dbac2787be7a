import { CareCentreCentres1764400400000 } from './migrations/1764400400000-care-centre-centres';
import { CareCentreRecords1764400410000 } from './migrations/1764400410000-care-centre-records';
import { CareCentreDailyTotals1764400420000 } from './migrations/1764400420000-care-centre-daily-totals';
import { CareCentreDayCapacity1764400702000 } from './migrations/1764400702000-care-centre-day-capacity';
import { CareCheckInWithdrawals1764401010000 } from './migrations/1764401010000-care-check-in-withdrawals';
import { CareServiceRecordWithdrawals1764401020000 } from './migrations/1764401020000-care-service-record-withdrawals';
import { CareWithdrawalsByTime1764401030000 } from './migrations/1764401030000-care-withdrawals-by-time';
import { CareCentreStates1764401120000 } from './migrations/1764401120000-care-centre-states';

export { CareCentreModule, CareCentreHttpModule, CareCentreWorkerModule } from './care-centre.module';
/** Centres: create, partial update, list and look-up. */
export { CareCentresService, type CareCentreView, type CreateCareCentreInput, type UpdateCareCentreInput } from './care-centres.service';
/** Attendance and service records of a centre. */
export { CareRecordsService, type AttendanceView, type ServiceRecordView } from './care-records.service';
/** District figures over a period. */
export { CareKpisService, type CareKpis } from './care-kpis.service';
/** Demo data of the care centres (run by the CLI's seed command). */
export { CareCentreSeeder } from './care-centre.seeder';
/** Stable error codes of the domain. */
export { CareCentreError, CareCentreErrorCode } from './care-centre.errors';
/** The district figures' SQL, for plan checks. */
export { CENTRE_FIGURES_SQL, PERIOD_TOTALS_SQL, PERIOD_TOTALS_FROM_RECORDS_SQL, type PeriodTotals } from './care-centres.repository';
export {
  type OperatorKind,
  type CentreStatus,
  type ServiceType,
  OPERATOR_KINDS,
  CENTRE_STATUSES,
  SERVICE_TYPES,
  SERVICE_TYPE_NAMES,
} from './care-centre.types';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/** CareCentre's migrations in timestamp order from 1764400400000 (its queries are SQL; it maps no entity). */
export const careCentreMigrations: Function[] = [
  CareCentreCentres1764400400000,
  CareCentreRecords1764400410000,
  CareCentreDailyTotals1764400420000,
  CareCentreDayCapacity1764400702000,
  CareCheckInWithdrawals1764401010000,
  CareServiceRecordWithdrawals1764401020000,
  CareWithdrawalsByTime1764401030000,
  CareCentreStates1764401120000,
];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */
