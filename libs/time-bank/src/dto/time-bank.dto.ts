import { EXPORT_FORMATS, type ExportFormat, IsInstant, PageOf, PageQueryDto, PeriodQueryDto } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  BOOKING_CANCEL_REASONS,
  type BookingCancelReason,
  ENTRY_KINDS,
  type EntryKind,
  LISTED_REQUEST_STATUSES,
  REDEMPTION_STATUSES,
  type RedemptionStatus,
  RELATIONSHIPS,
  type Relationship,
  REQUEST_STATUSES,
  type RequestStatus,
  REVIEW_OUTCOMES,
  type ReviewOutcome,
  SERVICE_STATUSES,
  SERVICE_TYPES,
  type ServiceStatus,
  type ServiceType,
  TRANSFER_KINDS,
  type TransferKind,
} from '../time-bank.types';

export class RequestListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: LISTED_REQUEST_STATUSES,
    default: 'OPEN',
    description: 'OPEN lists every open request still claimable; CLAIMED and COMPLETED list the caller’s own claims',
  })
  @IsOptional()
  @IsIn(LISTED_REQUEST_STATUSES)
  status?: RequestStatus;
}

export class AccountDto {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ type: Number, example: 600, description: 'Minutes in the account, held ones included' }) balanceMinutes: number;
  @ApiProperty({ type: Number, example: 60, description: 'Minutes set aside for booked redemptions' }) heldMinutes: number;
  @ApiProperty({ type: Number, example: 540, description: 'balanceMinutes − heldMinutes' }) availableMinutes: number;
}

export class MyAccountDto extends AccountDto {
  @ApiProperty({
    type: Number,
    example: 5400,
    description:
      'Minutes the holder may still give to family this calendar year (Asia/Shanghai): the yearly limit less what they gave; a gift is also limited by availableMinutes',
  })
  giftAllowanceMinutes: number;
}

export class EntryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ enum: ENTRY_KINDS }) kind: EntryKind;
  @ApiProperty({ type: Number, example: -60, description: 'Signed change of the balance (0 for HELD and RELEASED, which change held minutes only)' })
  minutes: number;
  @ApiProperty({ type: Number, example: 60, description: 'Signed change of the held minutes' }) heldDeltaMinutes: number;
  @ApiProperty({ type: Number, example: 540 }) balanceAfterMinutes: number;
  @ApiProperty({ type: Number, example: 0 }) heldAfterMinutes: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The transfer; null for HELD and RELEASED' }) transferId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) redemptionId: string | null;
}

export class EntryListDto extends PageOf(EntryDto) {}

export class StatementQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: 'csv or xlsx: the statement as a file; JSON without' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class StatementLineDto {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ enum: ENTRY_KINDS }) kind: EntryKind;
  @ApiProperty({ type: Number, description: 'signed change of the balance' }) minutes: number;
  @ApiProperty({ type: Number, description: 'signed change of the held minutes' }) heldDeltaMinutes: number;
  @ApiProperty({ type: Number, description: 'the running balance after this entry' }) balanceAfterMinutes: number;
  @ApiProperty({ type: Number }) heldAfterMinutes: number;
}

export class StatementDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when the user has no account yet' }) accountId: string | null;
  @ApiProperty({ type: String, format: 'date' }) from: string;
  @ApiProperty({ type: String, format: 'date' }) to: string;
  @ApiProperty({ type: Number, description: 'balance before the first day' }) openingBalanceMinutes: number;
  @ApiProperty({ type: Number, description: 'balance after the last entry of the period' }) closingBalanceMinutes: number;
  @ApiProperty({ type: [StatementLineDto], description: 'entries of the period, oldest first' }) items: StatementLineDto[];
}

export class CreateServiceDto {
  @ApiProperty({ format: 'uuid', description: 'The elder who received the service' })
  @IsUUID()
  recipientId: string;

  @ApiProperty({ enum: SERVICE_TYPES })
  @IsIn(SERVICE_TYPES)
  serviceType: ServiceType;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-20T09:00:00+08:00', description: 'When the service began; not in the future' })
  @IsInstant()
  startedAt: string;

  @ApiProperty({ type: Number, minimum: 15, maximum: 480, example: 90 })
  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ServicePersonDto {
  @ApiProperty() name: string;
}

export class ServiceReviewDto {
  @ApiProperty({ description: 'The volunteer’s explanation, asking for the review' }) reason: string;
  @ApiProperty({ type: String, format: 'date-time' }) requestedAt: string;
  @ApiProperty({ enum: REVIEW_OUTCOMES, nullable: true, description: 'Staff’s decision; null while under review' }) outcome: ReviewOutcome | null;
  @ApiProperty({ type: String, nullable: true, description: 'Staff’s note on the decision' }) note: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
}

export class ServiceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SERVICE_STATUSES }) status: ServiceStatus;
  @ApiProperty({ format: 'uuid' }) volunteerId: string;
  @ApiProperty({ format: 'uuid' }) recipientId: string;
  @ApiProperty({ enum: SERVICE_TYPES }) serviceType: ServiceType;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: Number }) durationMinutes: number;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestId: string | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When it was logged' }) loggedAt: string;
  @ApiProperty({ type: ServiceReviewDto, nullable: true, description: 'The volunteer’s request for a review of a rejection, and staff’s decision' })
  review: ServiceReviewDto | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'While the service is turned down and was never reviewed: until when its volunteer may ask for a review',
  })
  reviewableUntil: string | null;
  @ApiPropertyOptional({ type: ServicePersonDto, description: 'In a single read and in the elder’s list: the volunteer who gave it, by name' })
  volunteer?: ServicePersonDto;
  @ApiPropertyOptional({ type: ServicePersonDto, description: 'In a single read and in the volunteer’s list: whom it was for, by name' })
  recipient?: ServicePersonDto;
  @ApiPropertyOptional({
    type: ServicePersonDto,
    description: 'In a single read: the member of staff who confirmed or turned it down for the elder; absent when the elder’s own word decided it',
  })
  decidedBy?: ServicePersonDto;
}

export class ServiceListDto extends PageOf(ServiceDto) {}

export class TimeBankReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: '当天没有上门' })
  @IsString()
  @MaxLength(500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: REVIEW_OUTCOMES, description: 'CONFIRMED: it happened, and its minutes are credited; REJECTED: the elder’s word stands' })
  @IsIn(REVIEW_OUTCOMES)
  outcome: ReviewOutcome;

  @ApiProperty({ minLength: 1, maxLength: 500, example: '已电话询问老人的女儿，当天确有志愿者上门' })
  @IsString()
  @MaxLength(500)
  @Matches(/\S/, { message: 'note must not be blank' })
  note: string;
}

export class CreateRedemptionDto {
  @ApiProperty({ enum: SERVICE_TYPES })
  @IsIn(SERVICE_TYPES)
  serviceType: ServiceType;

  @ApiProperty({ type: Number, minimum: 1, maximum: 100000, example: 60 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  minutes: number;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-03T09:00:00+08:00' })
  @IsInstant()
  scheduledFor: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class RedemptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REDEMPTION_STATUSES }) status: RedemptionStatus;
  @ApiProperty({ type: Number }) minutes: number;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: SERVICE_TYPES }) serviceType: ServiceType;
  @ApiProperty({ type: String, format: 'date-time' }) scheduledFor: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ enum: BOOKING_CANCEL_REASONS, nullable: true, description: 'Why staff cancelled it, when they said' })
  cancelReason: BookingCancelReason | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was given or cancelled; null while held' })
  decidedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CancelRedemptionDto {
  @ApiPropertyOptional({
    enum: BOOKING_CANCEL_REASONS,
    description:
      'Why staff cannot give it, as its holder is told: NO_STAFF (nobody free then), NOT_AT_HOME (nobody home when staff came), ASKED_TO_CANCEL (she or her family asked), OTHER',
  })
  @IsOptional()
  @IsIn(BOOKING_CANCEL_REASONS)
  reason?: BookingCancelReason;
}

export class RedemptionListDto extends PageOf(RedemptionDto) {}

/** A booking with the name of the person whose booking it is. */
export class NamedRedemptionDto extends RedemptionDto {
  @ApiProperty({ description: 'The name of the person whose booking it is' }) holderName: string;
}

export class NamedRedemptionListDto extends PageOf(NamedRedemptionDto) {}

export class RedemptionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REDEMPTION_STATUSES, description: 'Only bookings in this state' })
  @IsOptional()
  @IsIn(REDEMPTION_STATUSES)
  status?: RedemptionStatus;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Only bookings given or cancelled at or after this instant' })
  @IsOptional()
  @IsInstant()
  decidedSince?: string;
}

export class CreateGiftDto {
  @ApiProperty({ format: 'uuid', description: 'The family member who receives the minutes' })
  @IsUUID()
  toUserId: string;

  @ApiProperty({ type: Number, minimum: 1, maximum: 100000, example: 120 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  minutes: number;

  @ApiProperty({ enum: RELATIONSHIPS, description: 'What the receiver is to the giver' })
  @IsIn(RELATIONSHIPS)
  relationship: Relationship;
}

export class GiftDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) fromUserId: string;
  @ApiProperty({ format: 'uuid' }) toUserId: string;
  @ApiProperty({ type: Number }) minutes: number;
  @ApiProperty({ enum: RELATIONSHIPS }) relationship: Relationship;
  @ApiProperty({ format: 'uuid' }) transferId: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CreateRequestDto {
  @ApiProperty({ enum: SERVICE_TYPES })
  @IsIn(SERVICE_TYPES)
  serviceType: ServiceType;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-03T09:00:00+08:00' })
  @IsInstant()
  wantedAt: string;

  @ApiProperty({ type: Number, minimum: 15, maximum: 480, example: 60 })
  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes: number;

  @ApiProperty({ minLength: 1, maxLength: 100, example: '彭埠街道' })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'street must not be blank' })
  street: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class RequestContactDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for a senior registered at a counter without a phone' }) phone: string | null;
}

export class RequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) seniorId: string;
  @ApiProperty({ enum: SERVICE_TYPES }) serviceType: ServiceType;
  @ApiProperty({ type: String, format: 'date-time' }) wantedAt: string;
  @ApiProperty({ type: Number }) durationMinutes: number;
  @ApiProperty() street: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ enum: REQUEST_STATUSES }) status: RequestStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) claimedBy: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) serviceId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt: string | null;
  @ApiProperty({
    type: Boolean,
    description: 'By the server’s clock when it answers: the wanted time is at most 10 minutes ahead, so the service can be reported done or logged',
  })
  serviceDue: boolean;
  @ApiProperty({ type: Boolean, description: 'By the server’s clock when it answers: the wanted time plus the length has passed' })
  serviceOver: boolean;
  @ApiProperty({
    type: Boolean,
    description: 'By the server’s clock when it answers: wanted at most an hour ago, so it can be claimed if open, and a give-back reopens it',
  })
  claimWindowOpen: boolean;
  @ApiProperty({
    type: Boolean,
    description: 'By the server’s clock when it answers: wanted at most 30 days ago, so a service at its time can still be reported done or logged',
  })
  recordWindowOpen: boolean;
  @ApiPropertyOptional({ type: Boolean, description: 'In lists: the caller has the skill this request asks for' }) matchesSkills?: boolean;
  @ApiPropertyOptional({ type: RequestContactDto, description: 'While CLAIMED, to the senior, whoever acts for them and staff: the volunteer coming' })
  volunteer?: RequestContactDto;
  @ApiPropertyOptional({ type: RequestContactDto, description: 'While CLAIMED, to the claimer: the senior they are going to' })
  senior?: RequestContactDto;
}

export class RequestListDto extends PageOf(RequestDto) {}

export class CompleteRequestDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the service began; defaults to the wanted time' })
  @IsOptional()
  @IsInstant()
  startedAt?: string;

  @ApiPropertyOptional({ type: Number, minimum: 15, maximum: 480 })
  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes?: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class SkillsDto {
  @ApiProperty({ enum: SERVICE_TYPES, isArray: true, maxItems: 7 })
  @IsArray()
  @ArrayMaxSize(7)
  @IsIn(SERVICE_TYPES, { each: true })
  skills: ServiceType[];
}

export class LedgerTransferDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) debitAccountId: string;
  @ApiProperty({ format: 'uuid' }) creditAccountId: string;
  @ApiProperty({ type: Number }) minutes: number;
  @ApiProperty({ enum: TRANSFER_KINDS }) kind: TransferKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The service, redemption or gift it belongs to' }) reference: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reversesTransferId: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class AuditMismatchDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) accountId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) transferId: string | null;
  @ApiProperty({ example: 'BALANCE_DIFFERS_FROM_JOURNAL' }) problem: string;
  @ApiProperty({ type: Number }) expectedMinutes: number;
  @ApiProperty({ type: Number }) actualMinutes: number;
}

class AuditSeniorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

class AuditActorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['FAMILY', 'COUNTER', 'ADMIN', 'MANAGER'] }) as: string;
}

/** A time-bank action a relative, counter staff, an administrator or a care-centre manager took for a senior. */
export class AuditActedForDto {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ example: 'POST /time-bank/redemptions' }) action: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) subjectId: string | null;
  @ApiProperty({ type: AuditSeniorDto }) senior: AuditSeniorDto;
  @ApiProperty({ type: AuditActorDto }) actedBy: AuditActorDto;
}

export class AuditDto {
  @ApiProperty({ type: Number, description: 'How many accounts were checked' }) accounts: number;
  @ApiProperty({ type: Number, description: 'Sum over all accounts, issuer included, recomputed from the journal; 0 when sound' }) sumOfBalancesMinutes: number;
  @ApiProperty({ type: Number, description: 'Minutes issued by the bureau (minus the issuer balance)' }) issuedMinutes: number;
  @ApiProperty({ type: Number, description: 'Minutes currently held for booked redemptions' }) heldMinutes: number;
  @ApiProperty({ type: Number, description: 'Balance of the community pool' }) poolMinutes: number;
  @ApiProperty({ type: [AuditMismatchDto] }) mismatches: AuditMismatchDto[];
  @ApiProperty({ type: [AuditActedForDto], description: 'The latest 200 time-bank actions taken for seniors by others, newest first' })
  actedFor: AuditActedForDto[];
}
