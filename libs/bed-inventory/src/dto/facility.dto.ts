import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FACILITY_KINDS, type FacilityKind } from '../bed-inventory.types';
import { IsInstant, PageQueryDto } from '@app/platform';

export class CreateFacilityDto {
  @ApiProperty({ example: '彭埠颐养院', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ enum: FACILITY_KINDS, example: 'NURSING_HOME' })
  @IsIn(FACILITY_KINDS)
  kind: FacilityKind;

  @ApiProperty({ example: '彭埠街道', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  @Matches(/\S/, { message: 'street must not be blank' })
  street: string;
}

export class FacilityListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FACILITY_KINDS })
  @IsOptional()
  @IsIn(FACILITY_KINDS)
  kind?: FacilityKind;
}

export class StatusCountsDto {
  @ApiProperty({ example: 20 })
  AVAILABLE: number;
  @ApiProperty({ example: 5 })
  RESERVED: number;
  @ApiProperty({ example: 300 })
  OCCUPIED: number;
  @ApiProperty({ example: 4, description: 'resident away (home leave, hospital); counted as occupied' })
  ON_LEAVE: number;
  @ApiProperty({ example: 6 })
  CLEANING: number;
  @ApiProperty({ example: 2 })
  MAINTENANCE: number;
}

export class CareLevelCountsDto {
  @ApiProperty({ example: 100 })
  SELF_CARE: number;
  @ApiProperty({ example: 120 })
  ASSISTED: number;
  @ApiProperty({ example: 136 })
  NURSING: number;
}

export class FacilityDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: '彭埠颐养院' })
  name: string;
  @ApiProperty({ enum: FACILITY_KINDS })
  kind: FacilityKind;
  @ApiProperty({ example: '彭埠街道' })
  street: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class FacilitySummaryDto extends FacilityDto {
  @ApiProperty({ example: 356, description: 'beds of the facility, counted from bed rows' })
  totalBeds: number;
  @ApiProperty({ type: StatusCountsDto })
  occupancy: StatusCountsDto;
}

export class DistrictTotalsDto {
  @ApiProperty({ example: 537 })
  totalBeds: number;
  @ApiProperty({ type: StatusCountsDto })
  occupancy: StatusCountsDto;
}

export class FacilityListDto {
  @ApiProperty({ type: [FacilitySummaryDto] })
  items: FacilitySummaryDto[];
  @ApiProperty({ example: 2 })
  total: number;
  @ApiProperty({ type: DistrictTotalsDto, description: 'totals over every facility matching the filter' })
  district: DistrictTotalsDto;
}

export class OccupancyDto {
  @ApiProperty({ example: 356 })
  totalBeds: number;
  @ApiProperty({ type: StatusCountsDto })
  byStatus: StatusCountsDto;
  @ApiProperty({ type: CareLevelCountsDto })
  byCareLevel: CareLevelCountsDto;
  @ApiProperty({ example: 304, description: 'beds someone lives in: OCCUPIED + ON_LEAVE' })
  occupied: number;
  @ApiProperty({ example: 4, description: 'of those, beds whose resident is on leave (ON_LEAVE)' })
  onLeave: number;
  @ApiProperty({ example: 0.8539, description: 'occupied (including ON_LEAVE) ÷ total; 0 when there are no beds' })
  occupancyRate: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'with ?at=: the instant the figures were replayed at' })
  at?: string;
}

export class OccupancyQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-06-30T16:00:00Z',
    description:
      'an instant in the past (ISO 8601 with a time zone): the figures replayed from the bed history; a future instant → 400 (up to 5 s ahead is read as now)',
  })
  @IsOptional()
  @IsInstant()
  at?: string;
}
