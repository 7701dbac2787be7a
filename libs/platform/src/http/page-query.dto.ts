import type { Type as ClassOf } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * `?limit=&offset=` of every list (docs/api.md, "Conventions": default 50, at most 200); extend
 * it for filters. The defaults live here: the global pipe builds the instance, so an absent
 * parameter keeps its initial value.
 */
export class PageQueryDto {
  @ApiPropertyOptional({ type: Number, default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ type: Number, default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;
}

/**
 * The answer of a list: `{ items, total }` (docs/api.md, "Conventions"), documented with the item's
 * schema. `export class PeopleListDto extends PageOf(PersonDto) {}` names the schema.
 */
export function PageOf<T>(item: ClassOf<T>): ClassOf<{ items: T[]; total: number }> {
  abstract class Page {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ type: Number, example: 1, description: 'all matching items, not only this page' })
    total: number;
  }
  return Page as ClassOf<{ items: T[]; total: number }>;
}
