import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsUUID } from 'class-validator';
import { CARE_LEVELS, type CareLevel, PRIORITY_REASONS, type PriorityReason } from '../bed-state';

export class AddWaitlistEntryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  residentId: string;

  @ApiProperty({ enum: CARE_LEVELS })
  @IsIn(CARE_LEVELS)
  careLevel: CareLevel;

  @ApiProperty({
    enum: PRIORITY_REASONS,
    isArray: true,
    description:
      'HARDSHIP 特困/低保 (+40), LIVING_ALONE 独居 (+20), AGE_80_PLUS (+20, checked against the birth date), DISABILITY 残疾 (+15); NURSING care +10, ASSISTED +5',
  })
  @IsArray()
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsIn(PRIORITY_REASONS, { each: true })
  priorityReasons: PriorityReason[];
}

export class WaitlistEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  facilityId: string;
  @ApiProperty({ format: 'uuid' })
  residentId: string;
  @ApiProperty({ enum: CARE_LEVELS })
  careLevel: CareLevel;
  @ApiProperty({ enum: PRIORITY_REASONS, isArray: true })
  priorityReasons: PriorityReason[];
  @ApiProperty({ example: 70, description: 'derived from the reasons and care level, never stored' })
  priorityScore: number;
  @ApiProperty({ type: Number, nullable: true, example: 1, description: 'place among waiting entries (1 = next offer); null once offered' })
  position: number | null;
  @ApiProperty({ enum: ['WAITING', 'OFFERED', 'ADMITTED', 'LAPSED', 'WITHDRAWN'] })
  status: 'WAITING' | 'OFFERED' | 'ADMITTED' | 'LAPSED' | 'WITHDRAWN';
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  offeredBedId: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the entry was withdrawn' })
  withdrawnAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the entry was withdrawn' })
  withdrawnReason: string | null;
}

export class WaitlistDto {
  @ApiProperty({ type: [WaitlistEntryDto] })
  items: WaitlistEntryDto[];
  @ApiProperty({ example: 3 })
  total: number;
}
