import { TimeBankLedger1764400200000 } from './migrations/1764400200000-time-bank-ledger';
import { TimeBankActivities1764400201000 } from './migrations/1764400201000-time-bank-activities';
import { TimeBankLedgerFunctions1764400202000 } from './migrations/1764400202000-time-bank-ledger-functions';
import { TimeBankAuditCheckpoints1764400203000 } from './migrations/1764400203000-time-bank-audit-checkpoints';
import { TimeBankReportIndexes1764400701000 } from './migrations/1764400701000-time-bank-report-indexes';
import { TimeBankLedgerBatch1764400800000 } from './migrations/1764400800000-time-bank-ledger-batch';
import { TimeBankBatchGroups1764400810000 } from './migrations/1764400810000-time-bank-batch-groups';
import { TimeBankGiftAccountLookup1764400820000 } from './migrations/1764400820000-time-bank-gift-account-lookup';
import { TimeBankBookingWindow1764400830000 } from './migrations/1764400830000-time-bank-booking-window';
import { TimeBankRequestExpiry1764400841000 } from './migrations/1764400841000-time-bank-request-expiry';
import { TimeBankRequestFollowThrough1764400851000 } from './migrations/1764400851000-time-bank-request-follow-through';
import { TimeBankRequestReminders1764400861000 } from './migrations/1764400861000-time-bank-request-reminders';
import { TimeBankRedemptionLists1764401050000 } from './migrations/1764401050000-time-bank-redemption-lists';
import { TimeBankBookingCancelReason1764401070000 } from './migrations/1764401070000-time-bank-booking-cancel-reason';
import { TimeBankBookingReminders1764401081000 } from './migrations/1764401081000-time-bank-booking-reminders';
import { TimeBankServiceRecordWindow1764400880000 } from './migrations/1764400880000-time-bank-service-record-window';
import { TimeBankServiceReminders1764400891000 } from './migrations/1764400891000-time-bank-service-reminders';
import { TimeBankServiceReview1764400901000 } from './migrations/1764400901000-time-bank-service-review';
import { RedemptionEntity } from './redemption.entity';
import { ServiceRequestEntity } from './service-request.entity';
import { VolunteerServiceEntity } from './volunteer-service.entity';

export { TimeBankModule, TimeBankHttpModule, TimeBankWorkerModule } from './time-bank.module';
export { LedgerService, type AccountView, type AuditReport, type AuditMismatch } from './ledger.service';
/** Period figures of the journal and account statements (reports and exports). */
export { LedgerFiguresService, type LedgerPeriodFigures, type Statement, type StatementLine, LEDGER_PERIOD_FIGURES_SQL } from './ledger-figures';
export { ServiceRecordsService, type ServiceRecordView, type NewServiceRecord } from './service-records.service';
export { RedemptionsService, type RedemptionView, type NewRedemption } from './redemptions.service';
export { GiftsService, type GiftView, type NewGift } from './gifts.service';
export { RequestsService, type ServiceRequestView, type NewServiceRequest } from './requests.service';
export { TimeBankError, TimeBankErrorCode } from './time-bank.errors';
/** A gift as the API sends it (the ledger call and its notification in one statement), for the benchmark's SQL-only loop. */
export { GIFT_SQL, GIFT_NOTIFICATION, LEDGER_BATCH_STATEMENT, batchOutcomes, ledgerBatching, type BatchRow, type LedgerOperation } from './ledger.repository';
export { TimeBankDemoSeeder } from './time-bank.seeder';
export { ServiceType, EntryKind, TransferKind, Relationship, RELATIONSHIPS, SERVICE_TYPES } from './time-bank.types';
export { ISSUER_ACCOUNT_ID, POOL_ACCOUNT_ID } from './migrations/1764400200000-time-bank-ledger';

/* eslint-disable @typescript-eslint/no-unsafe-function-type */
/**
 * TimeBank's entities (the tables its services read through a repository; the ledger is reached
 * through its SQL functions) and migrations in timestamp order from 1764400200000.
 */
export const timeBankEntities: Function[] = [VolunteerServiceEntity, RedemptionEntity, ServiceRequestEntity];
export const timeBankMigrations: Function[] = [
  TimeBankLedger1764400200000,
  TimeBankActivities1764400201000,
  TimeBankLedgerFunctions1764400202000,
  TimeBankAuditCheckpoints1764400203000,
  TimeBankReportIndexes1764400701000,
  TimeBankLedgerBatch1764400800000,
  TimeBankBatchGroups1764400810000,
  TimeBankGiftAccountLookup1764400820000,
  TimeBankBookingWindow1764400830000,
  TimeBankRequestExpiry1764400841000,
  TimeBankRequestFollowThrough1764400851000,
  TimeBankRequestReminders1764400861000,
  TimeBankServiceRecordWindow1764400880000,
  TimeBankServiceReminders1764400891000,
  TimeBankServiceReview1764400901000,
  TimeBankRedemptionLists1764401050000,
  TimeBankBookingCancelReason1764401070000,
  TimeBankBookingReminders1764401081000,
];
/* eslint-enable @typescript-eslint/no-unsafe-function-type */
