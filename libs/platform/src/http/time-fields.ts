import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Times in requests: an instant is a date-time with its time zone, a day is a calendar date.
 *
 * Both are checked by what the programs behind the route will do with them, not by ISO 8601 as a
 * whole: ISO also has week dates (`2026-W52-3`), ordinal dates (`2026-360`) and hour-only times
 * (`2026-12-20T09`) that `new Date()` cannot read, and a time without a zone that would be read
 * in the server's zone, not the senior's. Each field has one check, so a bad value is named once,
 * with an example of a good one.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDay(year: number, month: number, day: number): boolean {
  // Year 0000 is not a year PostgreSQL reads without an era; month and day must exist in that year.
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0);
}

/** `2026-12-20T09:00:00+08:00`, `…T01:00Z`, with up to nine decimals of a second: a real moment in a real zone. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = INSTANT.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map((part) => Number(part ?? 0));
  const [zoneHours, zoneMinutes] = parts.slice(7, 9).map((part) => Number(part ?? 0));
  if (!isRealDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return false;
  // Real zones lie within ±14:00 of UTC.
  if (zoneHours > 14 || zoneMinutes > 59) return false;
  return Number.isFinite(Date.parse(value));
}

/** `2026-12-20`: a day that exists in the calendar. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = DAY.exec(value);
  return parts !== null && isRealDay(Number(parts[1]), Number(parts[2]), Number(parts[3]));
}

/** The field is an instant with its time zone (`isInstant`). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => isInstant(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a date-time with a time zone, e.g. 2026-12-20T09:00:00+08:00`, options),
      },
    },
    options,
  );
}

/** The field is a calendar day `YYYY-MM-DD` (`isCalendarDate`). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a real date YYYY-MM-DD, e.g. 2026-12-20`, options),
      },
    },
    options,
  );
}
