import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { FACILITY_KINDS, type FacilityKind } from '../facility.entity';
import { PageQueryDto } from '@app/platform';

export class CreateFacilityDto {
  @ApiProperty({ example: '彭埠颐养院', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ enum: FACILITY_KINDS, example: 'NURSING_HOME' })
  @IsIn(FACILITY_KINDS)
  kind: FacilityKind;

  @ApiProperty({ example: '彭埠街道', maxLength: 100 })
  @IsString()
  @Length(1, 100)
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
  @ApiProperty({ example: 0.84, description: 'occupied ÷ total; 0 when there are no beds' })
  occupancyRate: number;
}
