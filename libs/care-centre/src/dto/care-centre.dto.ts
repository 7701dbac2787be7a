import { EXPORT_FORMATS, type ExportFormat, IsCalendarDate, IsInstant, PageOf, PageQueryDto, PeriodQueryDto, WhenPresent } from '@app/platform';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CENTRE_STATUSES, type CentreStatus, OPERATOR_KINDS, type OperatorKind, SERVICE_TYPES, type ServiceType } from '../care-centre.types';

/** Everything a new centre needs; operator name and contract end only (and always) for a social operator. */
export class CreateCareCentreDto {
  @ApiProperty({ example: '湖滨街道居家养老服务照料中心', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '湖滨街道', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'street must not be blank' })
  street: string;

  @ApiProperty({ enum: OPERATOR_KINDS, example: 'SOCIAL_OPERATOR' })
  @IsIn(OPERATOR_KINDS)
  operatorKind: OperatorKind;

  @ApiPropertyOptional({
    type: String,
    example: '杭州颐乐养老服务有限公司',
    maxLength: 100,
    description: 'required for SOCIAL_OPERATOR, absent for GOVERNMENT',
  })
  @ValidateIf((dto: CreateCareCentreDto) => dto.operatorKind === 'SOCIAL_OPERATOR' || dto.operatorName !== undefined)
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'operatorName must not be blank' })
  operatorName?: string;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2027-06-30', description: 'required for SOCIAL_OPERATOR, absent for GOVERNMENT' })
  @ValidateIf((dto: CreateCareCentreDto) => dto.operatorKind === 'SOCIAL_OPERATOR' || dto.contractEndsOn !== undefined)
  @IsCalendarDate()
  contractEndsOn?: string;

  @ApiProperty({ enum: CENTRE_STATUSES, example: 'OPERATING' })
  @IsIn(CENTRE_STATUSES)
  status: CentreStatus;

  @ApiProperty({ type: Number, minimum: 0, maximum: 10000, example: 40, description: 'seniors the centre can receive per day' })
  @IsInt()
  @Min(0)
  @Max(10000)
  dayCapacity: number;

  @ApiProperty({ type: Boolean, example: true, description: 'the centre runs a sunshine kitchen (阳光厨房)' })
  @IsBoolean()
  sunshineKitchen: boolean;
}

/**
 * A partial update of the centre's own fields. Name and street belong to the facility and are
 * not changed here. Setting `operatorName` or `contractEndsOn` to null is how they are cleared.
 */
export class UpdateCareCentreDto {
  @ApiPropertyOptional({ example: '湖滨街道东坡路社区照料中心', maxLength: 100, description: 'the centre’s (its facility’s) name; unique among care centres' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ example: '湖滨街道', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'street must not be blank' })
  street?: string;

  @ApiPropertyOptional({ enum: OPERATOR_KINDS })
  @IsOptional()
  @IsIn(OPERATOR_KINDS)
  operatorKind?: OperatorKind;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, description: 'required when the centre is (or becomes) SOCIAL_OPERATOR' })
  @ValidateIf((dto: UpdateCareCentreDto) => dto.operatorName !== undefined && dto.operatorName !== null)
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'operatorName must not be blank' })
  operatorName?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2027-06-30' })
  @ValidateIf((dto: UpdateCareCentreDto) => dto.contractEndsOn !== undefined && dto.contractEndsOn !== null)
  @IsCalendarDate()
  contractEndsOn?: string | null;

  @ApiPropertyOptional({ enum: CENTRE_STATUSES })
  @IsOptional()
  @IsIn(CENTRE_STATUSES)
  status?: CentreStatus;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  dayCapacity?: number;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsBoolean()
  sunshineKitchen?: boolean;
}

export class CareCentreListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: String, example: '湖滨街道', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  street?: string;

  @ApiPropertyOptional({ enum: CENTRE_STATUSES })
  @IsOptional()
  @IsIn(CENTRE_STATUSES)
  status?: CentreStatus;
}

export class CareCentreDto {
  @ApiProperty({ format: 'uuid', description: 'the facility id of the centre; managers are assigned to it' })
  id: string;
  @ApiProperty({ example: '湖滨街道居家养老服务照料中心' })
  name: string;
  @ApiProperty({ example: '湖滨街道' })
  street: string;
  @ApiProperty({ enum: OPERATOR_KINDS })
  operatorKind: OperatorKind;
  @ApiProperty({ type: String, nullable: true, example: '杭州颐乐养老服务有限公司' })
  operatorName: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2027-06-30' })
  contractEndsOn: string | null;
  @ApiProperty({ type: Boolean, description: 'the contract ends today or within the next 60 days (Asia/Shanghai calendar): time to renew' })
  contractEndingSoon: boolean;
  @ApiProperty({ type: Boolean, description: 'the contract ended before today: the social operator works without a contract' })
  contractExpired: boolean;
  @ApiProperty({ enum: CENTRE_STATUSES })
  status: CentreStatus;
  @ApiProperty({ type: Number, example: 40 })
  dayCapacity: number;
  @ApiProperty({ type: Boolean })
  sunshineKitchen: boolean;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
}

export class CareCentreListDto extends PageOf(CareCentreDto) {}

/** Who a check-in or a service is for: exactly one of the senior's id, service card number or ID number. */
export interface SeniorReference {
  seniorId?: string;
  cardNumber?: string;
  idCardNumber?: string;
}

/** Who a check-in or service record is for: the senior's id, service card number or ID number. */
export class SeniorReferenceDto implements SeniorReference {
  @ApiPropertyOptional({ format: 'uuid', description: 'a user with the SENIOR role; or give cardNumber or idCardNumber instead' })
  @ValidateIf((dto: SeniorReference) => dto.seniorId !== undefined || (dto.cardNumber === undefined && dto.idCardNumber === undefined))
  @IsUUID()
  seniorId?: string;

  @ApiPropertyOptional({ example: '1234567897', description: "the senior's service card number (10 digits)" })
  @WhenPresent()
  @Matches(/^\d{10}$/, { message: 'cardNumber must be 10 digits' })
  cardNumber?: string;

  @ApiPropertyOptional({ example: '330104195203151234', description: "the senior's ID number, read from the ID card (never stored by this record)" })
  @WhenPresent()
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber?: string;
}

export class CheckInDto extends SeniorReferenceDto {}

/** What a centre recorded for a senior: a check-in or a service. */
abstract class CentreRecordDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  centreId: string;
  @ApiProperty({ format: 'uuid' })
  seniorId: string;
  @ApiProperty({ example: '李桂兰', description: 'the senior’s name, for the confirmation the desk shows (a card number alone does not say whom it served)' })
  seniorName: string;
}

export class CheckInViewDto extends CentreRecordDto {
  @ApiProperty({ type: String, format: 'date', description: 'calendar day in Asia/Shanghai' })
  day: string;
  @ApiProperty({ type: String, format: 'date-time' })
  checkedInAt: string;
}

export class CreateServiceRecordDto extends SeniorReferenceDto {
  @ApiProperty({ enum: SERVICE_TYPES, description: 'MEAL 助餐, CLEANING 助洁, MEDICAL 助医, HARDSHIP 助困, EMERGENCY 助急, RECREATION 助乐' })
  @IsIn(SERVICE_TYPES)
  serviceType: ServiceType;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-05-01T11:30:00+08:00', description: 'with a zone offset; not in the future' })
  @IsInstant()
  occurredAt: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 1, description: 'e.g. meals served' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  quantity?: number;
}

export class ServiceRecordDto extends CentreRecordDto {
  @ApiProperty({ enum: SERVICE_TYPES })
  serviceType: ServiceType;
  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt: string;
  @ApiProperty({ type: String, format: 'date', description: 'the calendar day of occurredAt in Asia/Shanghai' })
  occurredOn: string;
  @ApiProperty({ type: Number, example: 1 })
  quantity: number;
}

export class EnteredOnQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date', description: 'calendar day in Asia/Shanghai on which the records were entered; today when absent' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;
}

export class ServiceRecordsOfDayDto {
  @ApiProperty({ type: String, format: 'date', description: 'the day the records were entered (Asia/Shanghai)' })
  date: string;
  @ApiProperty({ type: [ServiceRecordDto], description: 'in the order they were entered' })
  items: ServiceRecordDto[];
}

export class AttendanceQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date', description: 'calendar day in Asia/Shanghai; today when absent (not with from, to or format)' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description: 'csv (every check-in) or xlsx (by day, and every check-in) over from–to, the current month without them',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class AttendanceDayDto {
  @ApiProperty({ type: String, format: 'date' })
  date: string;
  @ApiProperty({ type: Number })
  checkIns: number;
  @ApiProperty({ type: Number, description: 'the centre’s day capacity on that day, from its history' })
  dayCapacity: number;
  @ApiProperty({ type: Number, description: 'checkIns ÷ dayCapacity, 4 decimals' })
  rate: number;
}

export class AttendanceRangeDto {
  @ApiProperty({ type: String, format: 'date' })
  from: string;
  @ApiProperty({ type: String, format: 'date' })
  to: string;
  @ApiProperty({ type: Number, description: 'the centre’s day capacity now' })
  dayCapacity: number;
  @ApiProperty({ type: Number, description: 'check-ins over the period' })
  checkIns: number;
  @ApiProperty({ type: [AttendanceDayDto], description: 'every day of the period, oldest first, 0 when nobody came' })
  days: AttendanceDayDto[];
}

export class AttendeeDto {
  @ApiProperty({ format: 'uuid', description: 'the check-in, which its centre’s managers may withdraw on its own day' })
  checkInId: string;
  @ApiProperty({ format: 'uuid' })
  seniorId: string;
  @ApiProperty({ example: '钱桂芳' })
  name: string;
  @ApiProperty({ type: String, format: 'date-time' })
  checkedInAt: string;
}

export class AttendanceDto {
  @ApiProperty({ type: String, format: 'date' })
  date: string;
  @ApiProperty({ type: Number, example: 31, description: 'seniors checked in on that day' })
  checkIns: number;
  @ApiProperty({ type: Number, example: 40, description: 'the centre’s day capacity on that day, from its history' })
  dayCapacity: number;
  @ApiProperty({ type: Number, example: 0.775, description: 'checkIns ÷ dayCapacity, 4 decimals; 0 when dayCapacity is 0' })
  rate: number;
  @ApiProperty({ type: [AttendeeDto], description: 'the seniors checked in that day, in arrival order' })
  items: AttendeeDto[];
}

/** A member of staff as a withdrawal names them. */
export class StaffRefDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: '王经理' })
  name: string;
}

/** A check-in or a service record withdrawn: what it was, who entered it, who withdrew it. */
export class WithdrawalDto {
  @ApiProperty({ enum: ['CHECK_IN', 'SERVICE_RECORD'] })
  kind: 'CHECK_IN' | 'SERVICE_RECORD';
  @ApiProperty({ format: 'uuid', description: 'the check-in’s or the service record’s id' })
  entryId: string;
  @ApiProperty({ format: 'uuid' })
  centreId: string;
  @ApiProperty({ example: '湖滨街道照料中心' })
  centreName: string;
  @ApiProperty({ format: 'uuid' })
  seniorId: string;
  @ApiProperty({ example: '钱桂芳' })
  seniorName: string;
  @ApiProperty({ enum: SERVICE_TYPES, nullable: true, description: 'null for a check-in' })
  serviceType: ServiceType | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null for a check-in' })
  quantity: number | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'when the senior checked in, or was served' })
  occurredAt: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'when it was entered' })
  enteredAt: string;
  @ApiProperty({ type: StaffRefDto })
  enteredBy: StaffRefDto;
  @ApiProperty({ type: String, format: 'date-time' })
  withdrawnAt: string;
  @ApiProperty({ type: StaffRefDto })
  withdrawnBy: StaffRefDto;
}

export class WithdrawalListDto extends PageOf(WithdrawalDto) {}

/**
 * A list of withdrawals: a page of them, of the days from–to when given (the day each was
 * withdrawn, Asia/Shanghai); or with `format` all of them over from–to as a file, the current
 * month without them (limit and offset do not apply to a file).
 */
export class WithdrawalQueryDto extends IntersectionType(PageQueryDto, PeriodQueryDto) {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, description: 'csv or xlsx: every withdrawal of from–to, the current month without them' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export class KpiQueryDto extends PeriodQueryDto {}

export class ServicesByTypeDto {
  @ApiProperty({ type: Number, example: 1200 })
  MEAL: number;
  @ApiProperty({ type: Number, example: 80 })
  CLEANING: number;
  @ApiProperty({ type: Number, example: 45 })
  MEDICAL: number;
  @ApiProperty({ type: Number, example: 12 })
  HARDSHIP: number;
  @ApiProperty({ type: Number, example: 3 })
  EMERGENCY: number;
  @ApiProperty({ type: Number, example: 300 })
  RECREATION: number;
}

export class KpisDto {
  @ApiProperty({ type: String, format: 'date' })
  from: string;
  @ApiProperty({ type: String, format: 'date' })
  to: string;
  @ApiProperty({ type: Number, example: 30, description: 'days in the period, both ends included' })
  days: number;
  @ApiProperty({ type: Number, example: 20, description: 'all centres, whatever their status (as of now)' })
  centres: number;
  @ApiProperty({ type: Number, example: 15, description: 'centres whose status is OPERATING (as of now)' })
  operating: number;
  @ApiProperty({ type: Number, example: 0.4, description: 'operating centres run by a SOCIAL_OPERATOR ÷ operating centres' })
  socializedOperationRate: number;
  @ApiProperty({ type: Number, example: 0.8, description: 'operating centres with a sunshine kitchen ÷ operating centres' })
  sunshineKitchenCoverage: number;
  @ApiProperty({ type: ServicesByTypeDto, description: 'sum of quantity per service type over records whose Shanghai day lies in the period' })
  servicesByType: ServicesByTypeDto;
  @ApiProperty({ type: Number, example: 0.62, description: 'check-ins in the period ÷ (sum of dayCapacity of operating centres × days)' })
  attendanceRate: number;
  @ApiProperty({ type: Number, example: 2, description: 'socially operated centres whose contract ends from today to 60 days ahead' })
  contractsEndingWithin60Days: number;
  @ApiProperty({ type: Number, example: 0, description: 'socially operated centres whose contract ended before today' })
  contractsExpired: number;
  @ApiProperty({ type: Number, example: 9000, description: 'check-ins in the period (the attendance numerator)' })
  checkIns: number;
  @ApiProperty({ type: Number, example: 600, description: 'sum of dayCapacity of operating centres (as of now)' })
  operatingDayCapacity: number;
}
