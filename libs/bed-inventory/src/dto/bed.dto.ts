import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BED_ACTION_RULES, BED_ACTIONS, BED_STATUSES, type BedAction, type BedActionInput, type BedStatus, CARE_LEVELS, type CareLevel } from '../bed-state';

/** The manager's routes of the table of actions. */
const ACTION_ROUTES = Object.values(BED_ACTION_RULES).flatMap((rule) => (rule.route === null ? [] : [rule.route]));
const ACTION_INPUTS: BedActionInput[] = ['residentId', 'reason', 'expectedReturnOn', 'toBedId'];
import { IsCalendarDate, PageQueryDto } from '@app/platform';

export class NewBedDto {
  @ApiProperty({ example: '3-312-A', maxLength: 20 })
  @IsString()
  @Length(1, 20)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N}\-_.]*$/u, { message: 'code must be letters, digits, "-", "_" or "."' })
  code: string;

  @ApiProperty({ example: '312', maxLength: 20 })
  @IsString()
  @MaxLength(20)
  @Matches(/\S/, { message: 'room must not be blank' })
  room: string;

  @ApiProperty({ example: 3, minimum: -5, maximum: 200 })
  @IsInt()
  @Min(-5)
  @Max(200)
  floor: number;

  @ApiProperty({ enum: CARE_LEVELS })
  @IsIn(CARE_LEVELS)
  careLevel: CareLevel;
}

export class AddBedsDto {
  @ApiProperty({ type: [NewBedDto], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => NewBedDto)
  beds: NewBedDto[];
}

export class BedListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BED_STATUSES })
  @IsOptional()
  @IsIn(BED_STATUSES)
  status?: BedStatus;

  @ApiPropertyOptional({ enum: CARE_LEVELS })
  @IsOptional()
  @IsIn(CARE_LEVELS)
  careLevel?: CareLevel;
}

export class HoldBedDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  residentId: string;

  @ApiPropertyOptional({ example: 2880, minimum: 1, maximum: 10080, description: 'defaults to the configured hold (48 h)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_080)
  holdMinutes?: number;
}

export class AdmitDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  residentId: string;
}

export class ReasonDto {
  @ApiProperty({ example: '家属决定暂不入住', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

export class LeaveDto {
  @ApiProperty({ example: '住院治疗（市第一人民医院）', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;

  @ApiProperty({
    example: '2026-12-20',
    format: 'date',
    description: 'the day the resident is expected back: today or later (China time), at most a year ahead',
  })
  @IsCalendarDate()
  expectedReturnOn: string;
}

export class TransferDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  toBedId: string;
}

export class BedActionDto {
  @ApiProperty({ enum: ACTION_ROUTES, example: 'admit', description: 'the route: POST /beds/{id}/{action}' })
  action: string;
  @ApiProperty({ enum: BED_STATUSES, example: 'OCCUPIED', description: 'the status the bed will have' })
  toStatus: BedStatus;
  @ApiProperty({ enum: ACTION_INPUTS, isArray: true, example: ['residentId'], description: 'what the request must give' })
  needs: BedActionInput[];
}

export class BedDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  facilityId: string;
  @ApiProperty({ example: '3-312-A' })
  code: string;
  @ApiProperty({ example: '312' })
  room: string;
  @ApiProperty({ example: 3 })
  floor: number;
  @ApiProperty({ enum: CARE_LEVELS })
  careLevel: CareLevel;
  @ApiProperty({ enum: BED_STATUSES })
  status: BedStatus;
  @ApiProperty({ example: 4, description: 'goes up by one with every change; sent as ETag' })
  version: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  residentId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  holdExpiresAt: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'while ON_LEAVE: the day the resident is expected back' })
  expectedReturnOn: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
  @ApiProperty({ type: [BedActionDto], description: 'what a manager may do with the bed now, most usual first' })
  actions: BedActionDto[];
}

export class BoardBedDto extends BedDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '王秀英',
    description: "the name of the bed's resident (held for, living in or on leave from it); nothing else of the person",
  })
  residentName: string | null;
}

export class BoardDto {
  @ApiProperty({ type: [BoardBedDto] })
  items: BoardBedDto[];
  @ApiProperty({ example: 356 })
  total: number;
}

export class BedItemsDto {
  @ApiProperty({ type: [BedDto] })
  items: BedDto[];
}

export class BedListDto {
  @ApiProperty({ type: [BedDto] })
  items: BedDto[];
  @ApiProperty({ example: 356 })
  total: number;
}

export class TransferResultDto {
  @ApiProperty({ type: BedDto })
  from: BedDto;
  @ApiProperty({ type: BedDto })
  to: BedDto;
}

export class BedEventDto {
  @ApiProperty({ type: String, format: 'date-time' })
  at: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when the platform acted (hold expiry, waiting-list offer)' })
  actorId: string | null;
  @ApiProperty({ enum: ['CREATE', ...BED_ACTIONS] })
  action: BedAction | 'CREATE';
  @ApiProperty({ enum: BED_STATUSES, nullable: true })
  fromStatus: BedStatus | null;
  @ApiProperty({ enum: BED_STATUSES })
  toStatus: BedStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  residentId: string | null;
  @ApiProperty({ type: String, nullable: true })
  reason: string | null;
  @ApiProperty({ example: 2, description: 'the bed version this event produced' })
  version: number;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'on a LEAVE event: the day the resident is expected back' })
  expectedReturnOn: string | null;
}

export class BedHistoryDto {
  @ApiProperty({ type: [BedEventDto] })
  items: BedEventDto[];
  @ApiProperty({ example: 5 })
  total: number;
}
