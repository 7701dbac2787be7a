import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

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
  @Matches(DATE_ONLY, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    example: '2026-11-30',
    description: 'last day, included; at most 366 days after from; with `from` absent too, the last day of the current month; given alone → 400',
  })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'to must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  to?: string;
}
