import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from './time-fields';

/**
 * `?from=&to=` of a report, a statement, an export or a figure query: Shanghai calendar days, both
 * included, each a real date here; `reportPeriod` then refuses one end alone, `from` after `to`
 * or more than 366 days (docs/api.md, "Reports and exports"). Extend it for the route's own fields.
 */
export class PeriodQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2026-11-01',
    description: 'first day (Asia/Shanghai), included; with `to` absent too, the first day of the current month; given alone → 400',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2026-11-30',
    description: 'last day, included; at most 366 days after from; with `from` absent too, the last day of the current month; given alone → 400',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
