import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PeriodQueryDto } from '@app/platform';

export class DistrictReportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: ['xlsx'], description: 'xlsx: the report as an Excel workbook, one sheet per section, Chinese headers' })
  @IsOptional()
  @IsIn(['xlsx'])
  format?: 'xlsx';
}

export class ReportFacilityDto {
  @ApiProperty({ format: 'uuid' })
  facilityId: string;
  @ApiProperty({ example: '彭埠颐养院' })
  name: string;
  @ApiProperty({ example: 356, description: 'beds that existed at the end of the period' })
  totalBeds: number;
  @ApiProperty({ example: 301, description: 'beds OCCUPIED or ON_LEAVE at the end of the period' })
  occupiedAtEnd: number;
  @ApiProperty({ example: 0.8455, description: 'occupiedAtEnd ÷ totalBeds, 4 decimals' })
  occupancyRateAtEnd: number;
  @ApiProperty({ example: 0.8312, description: 'occupied bed-time ÷ bed-time over the period, replayed from the bed history, 4 decimals' })
  averageOccupancyRate: number;
  @ApiProperty({ example: 12, description: 'admissions in the period, transfers in from another facility included' })
  admissions: number;
  @ApiProperty({ example: 9, description: 'discharges in the period, transfers out to another facility included' })
  discharges: number;
}

export class ReportBedTotalsDto {
  @ApiProperty()
  totalBeds: number;
  @ApiProperty()
  occupiedAtEnd: number;
  @ApiProperty()
  occupancyRateAtEnd: number;
  @ApiProperty()
  averageOccupancyRate: number;
  @ApiProperty()
  admissions: number;
  @ApiProperty()
  discharges: number;
}

export class ReportBedsDto {
  @ApiProperty({ type: [ReportFacilityDto] })
  facilities: ReportFacilityDto[];
  @ApiProperty({ type: ReportBedTotalsDto, description: 'the district: sums, and rates over all facilities' })
  district: ReportBedTotalsDto;
  @ApiProperty({ type: String, format: 'date-time', description: 'the instant the end-of-period figures describe: the end of `to`, or now when that is later' })
  asOf: string;
}

export class ReportServicesByTypeDto {
  @ApiProperty() MEAL: number;
  @ApiProperty() CLEANING: number;
  @ApiProperty() MEDICAL: number;
  @ApiProperty() HARDSHIP: number;
  @ApiProperty() EMERGENCY: number;
  @ApiProperty() RECREATION: number;
}

export class ReportCareCentresDto {
  @ApiProperty({ description: 'care centres, any status, as they stood at the end of the period' })
  centres: number;
  @ApiProperty({ description: 'centres OPERATING at the end of the period' })
  operating: number;
  @ApiProperty({ description: 'socially operated ÷ operating' })
  socializedOperationRate: number;
  @ApiProperty({ description: 'with a sunshine kitchen ÷ operating' })
  sunshineKitchenCoverage: number;
  @ApiProperty({ type: ReportServicesByTypeDto })
  servicesByType: ReportServicesByTypeDto;
  @ApiProperty({ description: 'check-ins ÷ the day capacity of the centres operating on each day, summed over the days' })
  attendanceRate: number;
  @ApiProperty({ description: 'check-ins on days of the period' })
  checkIns: number;
}

export class ReportTimeBankDto {
  @ApiProperty({ description: 'minutes credited for confirmed services (pool share included), net of reversals posted in the period' })
  earnedMinutes: number;
  @ApiProperty({ description: 'minutes taken by completed redemptions, net of reversals' })
  redeemedMinutes: number;
  @ApiProperty({ description: 'minutes given to family, net of reversals' })
  giftedMinutes: number;
  @ApiProperty({ description: 'distinct volunteers credited for a service in the period' })
  activeVolunteers: number;
}

export class ReportTermDto {
  @ApiProperty({ format: 'uuid' })
  termId: string;
  @ApiProperty({ example: '2027年春季学期' })
  name: string;
  @ApiProperty({ description: 'distinct seniors with a decided application' })
  applicants: number;
  @ApiProperty({ description: 'sum of the courses’ capacities' })
  seats: number;
  @ApiProperty()
  confirmed: number;
  @ApiProperty()
  waitlisted: number;
  @ApiProperty()
  rejected: number;
}

export class ReportEnrolmentDto {
  @ApiProperty({ type: [ReportTermDto], description: 'terms whose enrolment window overlaps the period, oldest first' })
  terms: ReportTermDto[];
}

export class DistrictReportDto {
  @ApiProperty({ type: String, format: 'date' })
  from: string;
  @ApiProperty({ type: String, format: 'date' })
  to: string;
  @ApiProperty({ type: ReportBedsDto })
  beds: ReportBedsDto;
  @ApiProperty({ type: ReportCareCentresDto })
  careCentres: ReportCareCentresDto;
  @ApiProperty({ type: ReportTimeBankDto })
  timeBank: ReportTimeBankDto;
  @ApiProperty({ type: ReportEnrolmentDto })
  enrolment: ReportEnrolmentDto;
  @ApiProperty({ type: String, format: 'date-time' })
  generatedAt: string;
}
