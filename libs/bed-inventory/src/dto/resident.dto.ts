import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf, PageQueryDto, QueryBoolean } from '@app/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CARE_LEVELS, type CareLevel } from '../bed-state';

export class EmergencyContactDto {
  @ApiProperty({ example: '王小明', maxLength: 60 })
  @IsString()
  @MaxLength(60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '儿子', maxLength: 20 })
  @IsString()
  @MaxLength(20)
  @Matches(/\S/, { message: 'relation must not be blank' })
  relation: string;

  @ApiProperty({ example: '13912345678', description: 'mainland mobile or landline number' })
  @IsString()
  @Matches(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, { message: 'phone must be a mainland mobile or landline number' })
  phone: string;
}

export class CreateResidentDto {
  @ApiProperty({ example: '王秀英', maxLength: 60 })
  @IsString()
  @MaxLength(60)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '330104193803151234', description: '18-character resident ID number; stored encrypted, shown masked' })
  @IsString()
  @Length(18, 18, { message: 'idCardNumber must be 18 characters' })
  idCardNumber: string;

  @ApiProperty({ enum: CARE_LEVELS })
  @IsIn(CARE_LEVELS)
  careLevel: CareLevel;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  facilityId: string;

  @ApiProperty({ type: [EmergencyContactDto], maxItems: 5 })
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => EmergencyContactDto)
  emergencyContacts: EmergencyContactDto[];
}

export class ResidentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  facilityId: string;
  @ApiProperty({ example: '王秀英' })
  name: string;
  @ApiProperty({ example: '330104********1234' })
  idCardNumberMasked: string;
  @ApiProperty({ example: '1938-03-15' })
  birthDate: string;
  @ApiProperty({ enum: CARE_LEVELS })
  careLevel: CareLevel;
  @ApiProperty({ type: [EmergencyContactDto] })
  emergencyContacts: EmergencyContactDto[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'bed of the active stay' })
  bedId: string | null;
  @ApiProperty({
    example: 12.5,
    description: 'days on leave (请假 / 住院留床) over every stay, from the bed history, to two decimals; a leave still going counts up to now',
  })
  leaveDays: number;
  @ApiProperty({ example: 2, description: 'how many leaves the bed history holds for the resident' })
  leavePeriods: number;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class ResidentListDto extends PageOf(ResidentDto) {}

export class ResidentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'true: only the residents a bed of the facility names now (held for them, occupied or on leave)' })
  @QueryBoolean()
  inBed?: boolean;
}

export class ResidenceBedDto {
  @ApiProperty({ example: '颐养院', description: 'the facility’s name' })
  facility: string;
  @ApiProperty({ example: '彭埠街道' })
  street: string;
  @ApiProperty({ example: '3-305-2' })
  code: string;
  @ApiProperty({ example: 3 })
  floor: number;
  @ApiProperty({ example: '305' })
  room: string;
  @ApiProperty({ enum: ['RESERVED', 'OCCUPIED', 'ON_LEAVE'], description: 'held for her, hers, or hers while she is away' })
  status: 'RESERVED' | 'OCCUPIED' | 'ON_LEAVE';
  @ApiProperty({ format: 'date-time', description: 'since when: the stay in this bed began, or the hold was placed' })
  since: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'while RESERVED: when the hold lapses' })
  holdExpiresAt: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'while ON_LEAVE: when she is expected back' })
  expectedReturnOn: string | null;
}

export class ResidenceWaitingDto {
  @ApiProperty({ example: '颐养院' })
  facility: string;
  @ApiProperty({ format: 'date-time', description: 'when she was put on its waiting list' })
  since: string;
  @ApiProperty({ example: 3, description: 'her place on the list now (1 is next), as its managers see it; it moves as others join with a higher priority' })
  position: number;
}

export class ResidenceDto {
  @ApiProperty({ type: ResidenceBedDto, nullable: true, description: 'the bed held for her or hers now; null when none' })
  bed: ResidenceBedDto | null;
  @ApiProperty({ type: [ResidenceWaitingDto], description: 'the waiting lists she is on, the oldest first' })
  waiting: ResidenceWaitingDto[];
}
